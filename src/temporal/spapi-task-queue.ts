import { temporal } from '@temporalio/proto';
import { spApiTaskQueue } from '../domain/contract';
import { grpcError, isRefusal } from '../grpc';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
type RateLimit = temporal.api.taskqueue.v1.IRateLimit;

export interface SpApiPacing {
  /** Requests per second for each seller and Solicitations operation (docs/spec.md: `SPAPI_MAX_RPS`). */
  maxRps: number;
  /** Requests per second for the whole SP-API task queue (docs/spec.md: `SPAPI_MAX_TOTAL_RPS`). */
  maxTotalRps?: number;
}

export type SpApiTaskQueueSetup =
  | { mode: 'per-seller'; changed: boolean; message: string }
  /** The server refused the configuration: the workers must pace the whole queue themselves. */
  | { mode: 'queue-wide'; workerLimit: number; message: string; serverAnswer: string };

/**
 * `SPAPI_PACING`: `key` needs the server's per-key configuration when the worker serves several sellers;
 * `queue` accepts one limit shared by all of them when the server refuses it.
 */
export type SpApiPacingMode = 'key' | 'queue';

/** A worker serving several sellers, on a server that refused per-seller pacing, without `SPAPI_PACING=queue`. */
export class SpApiPacingRefusedError extends Error {
  override name = 'SpApiPacingRefusedError';
  constructor(
    readonly serverAnswer: string,
    readonly sellers: number,
  ) {
    super(
      `the server refused per-seller SP-API pacing (${serverAnswer}): one limit for the whole queue would give ` +
        `all ${sellers} sellers one seller's allowance; enable task queue fairness and its configuration on the ` +
        `namespace, or set SPAPI_PACING=queue to accept one shared limit`,
    );
  }
}

const REASON = 'review-solicitations: SP-API pacing (docs/spec.md, "SP-API pacing")';

/**
 * Configures `<taskQueue>-spapi` so that the server paces every fairness key (`<sellerId>:<operation>`)
 * to `maxRps` and, when given, the whole queue to `maxTotalRps`. Idempotent: the current configuration is
 * read first (DescribeTaskQueue with `report_config`) and only the limits that differ are written, so
 * that every worker start can call it without rewriting the task queue's metadata. A limit set earlier
 * and no longer wanted (`maxTotalRps` unset now) is removed.
 */
export async function configureSpApiTaskQueue(
  service: WorkflowService,
  options: { namespace: string; taskQueue: string; identity?: string; queue?: string } & SpApiPacing,
): Promise<SpApiTaskQueueSetup> {
  // Another SP-API queue paced the same way: reconciliation's `searchOrders` one (src/reconcile).
  const queue = options.queue ?? spApiTaskQueue(options.taskQueue);
  const target = { namespace: options.namespace, taskQueue: { name: queue }, taskQueueType: ACTIVITY };
  const wanted = describe(options);
  try {
    const { config } = await service.describeTaskQueue({ ...target, reportConfig: true });
    const perKey = updateIfDifferent(config?.fairnessKeysRateLimitDefault?.rateLimit, options.maxRps);
    const whole = updateIfDifferent(config?.queueRateLimit?.rateLimit, options.maxTotalRps);
    if (perKey === undefined && whole === undefined) {
      return { mode: 'per-seller', changed: false, message: `SP-API task queue ${queue}: ${wanted} (already so)` };
    }
    await service.updateTaskQueueConfig({
      namespace: options.namespace,
      identity: options.identity ?? '',
      taskQueue: queue,
      taskQueueType: ACTIVITY,
      ...(perKey && { updateFairnessKeyRateLimitDefault: { ...perKey, reason: REASON } }),
      ...(whole && { updateQueueRateLimit: { ...whole, reason: REASON } }),
    });
    return { mode: 'per-seller', changed: true, message: `SP-API task queue ${queue}: ${wanted} (configured)` };
  } catch (error) {
    // A server that does not take task-queue configuration: one older than the API (Unimplemented), a
    // namespace without the feature or a key without the permission (Temporal Cloud), a frontend that
    // rejects the request outright. Anything else (unreachable, timed out) is a fault to report.
    const refused = grpcError(error);
    if (!refused || !isRefusal(refused.code)) throw error;
    return {
      mode: 'queue-wide',
      workerLimit: options.maxRps,
      serverAnswer: refused.details,
      message:
        `SP-API task queue ${queue}: the server refused per-seller pacing (${refused.details}); ` +
        `falling back to one limit of ${options.maxRps} request/s for the whole queue, shared by every seller`,
    };
  }
}

const ACTIVITY = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

/** The update for one limit, or undefined when the server holds it already (it stores a 32-bit float). */
function updateIfDifferent(
  current: RateLimit | null | undefined,
  wanted: number | undefined,
): { rateLimit?: RateLimit } | undefined {
  // A rate limit message without a rate is a rate of 0 (proto3), so only the message's presence counts.
  const held = current ? (current.requestsPerSecond ?? 0) : undefined;
  if (wanted === undefined) return held === undefined ? undefined : {};
  return held !== undefined && Math.fround(held) === Math.fround(wanted)
    ? undefined
    : { rateLimit: { requestsPerSecond: wanted } };
}

function describe({ maxRps, maxTotalRps }: SpApiPacing): string {
  const perSeller = `each seller and operation limited to ${maxRps} request/s by the server`;
  return maxTotalRps === undefined ? perSeller : `${perSeller}, the whole queue to ${maxTotalRps} request/s`;
}

/**
 * docs/spec.md "SP-API pacing": the whole-queue fallback serves one seller as well as per-key limits would;
 * with several sellers it is taken only when `SPAPI_PACING=queue` says so, and otherwise the worker does
 * not start. `sellers` is the number the worker serves at start (1 with a single LWA_REFRESH_TOKEN).
 */
export function acceptSpApiPacing(
  setup: SpApiTaskQueueSetup,
  options: { sellers: number; pacing: SpApiPacingMode },
): SpApiTaskQueueSetup {
  if (setup.mode === 'queue-wide' && options.sellers > 1 && options.pacing !== 'queue') {
    throw new SpApiPacingRefusedError(setup.serverAnswer, options.sellers);
  }
  return setup;
}
