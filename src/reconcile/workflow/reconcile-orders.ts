import {
  continueAsNew,
  defineQuery,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createReconcileActivities } from '../activities';
import {
  planActivityOptions,
  sellerSweepWorkflowId,
  type ReconcileOrdersInput,
  type ReconcileOrdersResult,
  type ReconcileProgress,
  type ReconcileProgressView,
  type ReconcileRunResult,
  type SellerSweepResult,
} from './contract';
import { legacyReconcileOrders } from './legacy';
import { reconcileSeller } from './reconcile-seller';
import { addTally, isNotable, noTally, regionFailed, sellerTally } from './tally';

type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

/** Runs from before this change swept every seller in activities of their own; later ones start a child each. */
const PER_SELLER_SWEEPS = 'reconcile-per-seller-sweeps';
const SELLERS_PER_PAGE = 100;
/**
 * Children started by one run before it continues as new: a child costs the parent about 6 events, so a
 * run stays near 3,000 events (Temporal's limit is 51,200, its warning at 10,240) at any number of sellers.
 */
const SWEEPS_PER_RUN = 500;
const RESULTS_PER_PAGE = 50;
const RESULT_PAGES_PER_RUN = 10;
/** Sellers listed in full in the result; more are counted only, so that the result stays small. */
const NOTABLE_MAX = 500;
/** The last sellers finished, for the progress query. */
const RECENT_MAX = 200;

export const progressQuery = defineQuery<ReconcileProgressView>('progress');

const { planSweeps } = proxyActivities<ReconcileActivities>(planActivityOptions('2 minutes'));

// Waits for the sweeps of a page of sellers: as long as the slowest of them (a day for a big seller), alive
// while it heartbeats; a worker restart resumes the wait.
const { collectSweeps } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '3 days',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/**
 * Reconciliation (docs/spec.md "Reconciliation"): every seller in every region where it sells, each
 * seller's sweep a child workflow (`reconcileSeller`) of its own that outlives this run, so that one
 * seller's failure or size never holds up another. The run starts the sweeps a page of sellers at a time,
 * then gathers their counts, continuing as new so that its history stays bounded at any number of sellers.
 */
export async function reconcileOrders(
  input: ReconcileOrdersInput,
): Promise<ReconcileOrdersResult | ReconcileRunResult> {
  if (!patched(PER_SELLER_SWEEPS)) return legacyReconcileOrders(input);
  const run = workflowInfo().workflowId;
  const force = input.force === true;
  const progress: ReconcileProgress = input.progress ?? {
    phase: 'start',
    sellersStarted: 0,
    sellersDone: 0,
    regionsDone: 0,
    totals: noTally(),
    notable: [],
    notableOmitted: 0,
    failures: 0,
    recent: [],
  };
  setHandler(progressQuery, () => ({
    phase: progress.phase,
    sellersStarted: progress.sellersStarted,
    sellersDone: progress.sellersDone,
    regionsDone: progress.regionsDone,
    pages: progress.totals.pages,
    started: progress.totals.started,
    finished: progress.recent,
  }));
  const filter = {
    ...(input.sellerIds !== undefined && { sellerIds: input.sellerIds }),
    ...(input.regions !== undefined && { regions: input.regions }),
  };
  const keep = (entry: ReconcileProgress['notable'][number]) => {
    if (progress.notable.length < NOTABLE_MAX) progress.notable.push(entry);
    else progress.notableOmitted += 1;
  };
  const goOn = () => continueAsNew<typeof reconcileOrders>({ ...input, progress });

  const sweepsPerRun = input.sweepsPerRun ?? SWEEPS_PER_RUN;
  let handled = 0;
  while (progress.phase === 'start') {
    const page = await planSweeps({
      ...filter,
      after: progress.after,
      limit: Math.min(SELLERS_PER_PAGE, sweepsPerRun),
      days: input.days,
      force,
    });
    await Promise.all(
      page.sellers.map(async (seller) => {
        if ('reason' in seller) {
          keep(seller);
          if (seller.failure) progress.failures += 1;
          return;
        }
        try {
          await startChild(reconcileSeller, {
            workflowId: sellerSweepWorkflowId(seller.sellerId),
            args: [{ ...seller, ...(input.pagesPerRun !== undefined && { pagesPerRun: input.pagesPerRun }) }],
            // The sweep goes on when this run continues as new or ends; the next sweep of the seller
            // waits for it (one workflow ID per seller).
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
            memo: { run },
            staticSummary: `Reconciliation of seller ${seller.sellerId}: ${seller.regions.map((r) => r.region).join(', ')}`,
          });
          progress.sellersStarted += 1;
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          keep({ sellerId: seller.sellerId, reason: 'its previous sweep is still running', failure: false });
        }
      }),
    );
    handled += page.sellers.length;
    progress.after = page.last;
    if (page.last === undefined) progress.phase = 'collect';
    else if (handled >= sweepsPerRun || workflowInfo().continueAsNewSuggested) await goOn();
  }

  let pages = 0;
  for (;;) {
    const page = await collectSweeps({ ...filter, after: progress.after, limit: RESULTS_PER_PAGE, run });
    for (const result of page.results) collect(progress, result, keep);
    progress.recent = [...progress.recent, ...page.results].slice(-RECENT_MAX);
    progress.after = page.last;
    if (page.last === undefined) break;
    pages += 1;
    if (pages >= RESULT_PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) await goOn();
  }
  if (progress.totals.started > 0) {
    log.warn('reconciliation started orders whose notification never came: check the subscription', {
      started: progress.totals.started,
      sellers: progress.sellersDone,
    });
  }
  return {
    days: input.days,
    force,
    sweepsStarted: progress.sellersStarted,
    sellers: progress.sellersDone,
    regions: progress.regionsDone,
    totals: progress.totals,
    notable: progress.notable,
    notableOmitted: progress.notableOmitted,
    failures: progress.failures,
  };
}

function collect(
  progress: ReconcileProgress,
  result: SellerSweepResult,
  keep: (entry: SellerSweepResult) => void,
): void {
  progress.sellersDone += 1;
  progress.regionsDone += result.regions.length;
  progress.failures += result.regions.filter(regionFailed).length;
  addTally(progress.totals, sellerTally(result));
  if (isNotable(result)) keep(result);
}
