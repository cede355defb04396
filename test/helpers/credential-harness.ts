import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderRef, ReviewSolicitationInput } from '../../src/domain/contract';
import { createLogger } from '../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import type { SellerEntry } from '../../src/spapi/sellers';
import { spApiClientsFromEnv } from '../../src/spapi/from-env';
import type { SolicitationsApi } from '../../src/spapi/solicitations';
import type { reviewSolicitation } from '../../src/workflows';
import { eventually } from './eventually';
import { DAY, startsOrders } from './solicitation-harness';
import { runProductWorkers } from './workers';
import { iso, orderInput } from './orders';
import { serverClock, type ServerClock } from './server-clock';
import { createTimeSkippingEnv, uniqueTaskQueue } from './temporal';

/** One activity attempt as the worker made it, at the time-skipping server's time. */
export interface Attempt {
  amazonOrderId: string;
  at: number;
  attempt: OrderRef['attempt'];
}

/**
 * The product's workers with its real SP-API clients against the simulator, under a time-skipping server
 * whose clock the simulator and the clients' token cache and credential circuit follow. The credentials
 * come from SPAPI_SELLERS_FILE and LWA_CLIENT_SECRET_FILE, which a test rewrites while the worker runs.
 */
export interface CredentialHarness {
  env: TestWorkflowEnvironment;
  sim: SpApiSimulator;
  clock: ServerClock;
  /** Every activity attempt, whether or not it reached Amazon. */
  attempts: Attempt[];
  /**
   * Called with each attempt before it goes out: a test changes the simulated world at a server time this
   * way, since the time-skipping server's own sleep does not mix with activities in flight.
   */
  beforeAttempt: ((attempt: Attempt) => void) | undefined;
  writeSellers(sellers: Record<string, SellerEntry>): void;
  writeClientSecret(text: string): void;
  /** Resolves once the worker has read `variable`'s file anew `count` times in all. */
  rereads(variable: 'SPAPI_SELLERS_FILE' | 'LWA_CLIENT_SECRET_FILE', count: number): Promise<void>;
  start(input: ReviewSolicitationInput): Promise<WorkflowHandle<typeof reviewSolicitation>>;
  teardown(): Promise<void>;
}

export async function startCredentialHarness(sellers: Record<string, SellerEntry>): Promise<CredentialHarness> {
  const env = await createTimeSkippingEnv();
  const clock = await serverClock(env);
  const refreshTokens = Object.fromEntries(Object.entries(sellers).map(([id, entry]) => [id, entry.refreshToken]));
  const sim = await startSpApiSimulator({ now: clock.now, sellers: refreshTokens });
  const dir = mkdtempSync(path.join(tmpdir(), 'credentials-'));
  const sellersFile = path.join(dir, 'sellers.json');
  const secretFile = path.join(dir, 'client-secret');
  const writeSellers = (entries: Record<string, SellerEntry>) => writeFileSync(sellersFile, JSON.stringify(entries));
  const writeClientSecret = (text: string) => writeFileSync(secretFile, text);
  writeSellers(sellers);
  writeClientSecret(`${sim.clientSecret}\n`);

  const logs: { message: string }[] = [];
  const { solicitations } = spApiClientsFromEnv(
    {
      ...sim.env(),
      LWA_CLIENT_SECRET: undefined,
      LWA_REFRESH_TOKEN: undefined,
      SPAPI_SELLER_ID: undefined,
      LWA_CLIENT_SECRET_FILE: secretFile,
      SPAPI_SELLERS_FILE: sellersFile,
    },
    { now: clock.nowMs, logger: createLogger('info', (line) => logs.push(JSON.parse(line) as { message: string })) },
  );
  const attempts: Attempt[] = [];
  let beforeAttempt: CredentialHarness['beforeAttempt'];
  const taskQueue = uniqueTaskQueue('credentials');
  const workers = runProductWorkers(env, {
    taskQueue,
    solicitations: recordAttempts(solicitations, clock, (attempt) => {
      attempts.push(attempt);
      beforeAttempt?.(attempt);
    }),
  });

  return {
    env,
    sim,
    clock,
    attempts,
    get beforeAttempt() {
      return beforeAttempt;
    },
    set beforeAttempt(hook) {
      beforeAttempt = hook;
    },
    writeSellers,
    writeClientSecret,
    async rereads(variable, count) {
      await eventually(
        `${variable} re-read`,
        () => Promise.resolve(logs.filter((line) => line.message === `${variable} re-read`).length),
        (seen) => seen >= count,
      );
    },
    start: startsOrders(env.client, taskQueue),
    async teardown() {
      await workers.stop();
      await sim.close();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The product's client, with the clock brought up to the server's time before each attempt, which is recorded. */
function recordAttempts(
  api: SolicitationsApi,
  clock: ServerClock,
  onAttempt: (attempt: Attempt) => void,
): SolicitationsApi {
  const record = async (order: OrderRef) => {
    const at = await clock.refresh();
    onAttempt({ amazonOrderId: order.amazonOrderId, at, attempt: order.attempt });
  };
  return {
    async getSolicitationActionsForOrder(order) {
      await record(order);
      return api.getSolicitationActionsForOrder(order);
    },
    async createProductReviewAndSellerFeedbackSolicitation(order) {
      await record(order);
      return api.createProductReviewAndSellerFeedbackSolicitation(order);
    },
  };
}

/**
 * An order of `sellerId` whose window opens `opensIn` from `now` (by default it opened a day ago) and
 * closes after `closesIn`. Added to the simulator as well.
 */
export function openOrder(
  sim: SpApiSimulator,
  sellerId: string,
  now: number,
  closesIn = 25 * DAY,
  opensIn = -DAY,
): ReviewSolicitationInput {
  const latest = now + closesIn - 30 * DAY;
  const earliest = Math.min(now + opensIn - 5 * DAY, latest);
  const input = orderInput({
    sellerId,
    shippedAt: iso(earliest - 2 * DAY),
    earliestDeliveryDate: iso(earliest),
    latestDeliveryDate: iso(latest),
  });
  sim.addOrder({
    amazonOrderId: input.amazonOrderId,
    marketplaceId: input.marketplaceId,
    sellerId,
    earliestDeliveryDate: input.earliestDeliveryDate!,
    latestDeliveryDate: input.latestDeliveryDate!,
  });
  return input;
}
