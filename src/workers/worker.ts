import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { spApiTaskQueue } from '../domain/contract';
import type { Logger } from '../logging';
import type { SolicitationsApi } from '../spapi/solicitations';
import { workflowCode } from './workflow-code';

export interface SolicitationWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  /** The workflows' task queue (SPEC: `TASK_QUEUE`); the SP-API activities poll `spApiTaskQueue(taskQueue)`. */
  taskQueue: string;
  solicitations: SolicitationsApi;
  logger: Logger;
  /** The clock the SP-API activities read the time left in a window from (default: the host's). */
  now?: () => number;
  /**
   * One limit for the whole SP-API task queue, enforced by the server across every worker: only for a
   * server that refused the per-seller configuration (see src/temporal/spapi-task-queue.ts), since it
   * makes every seller share one seller's allowance.
   */
  maxSpApiRequestsPerSecond?: number;
  maxCachedWorkflows?: number;
  /**
   * Activities that run on the workflows' own task queue, not the paced SP-API one: reconciliation's
   * (src/activities/reconcile.ts), which pace themselves to the Orders API's own usage plan.
   */
  workflowQueueActivities?: object;
  /** Stops both workers when aborted, as SIGINT and SIGTERM do. */
  signal?: AbortSignal;
}

/**
 * Runs the workflow worker and the SP-API activity worker until shutdown. Temporal's Runtime shuts every
 * worker down on SIGINT and SIGTERM (its default shutdown signals); both drain what they are running and the
 * promise resolves once both have stopped. If one worker fails, the other is shut down and the failure
 * rethrown. The caller closes the connection afterwards.
 */
export async function runSolicitationWorkers(options: SolicitationWorkersOptions): Promise<void> {
  const { connection, namespace, taskQueue, solicitations, logger, maxSpApiRequestsPerSecond, signal } = options;
  const { maxCachedWorkflows } = options;
  const workers = [
    await Worker.create({
      connection,
      namespace,
      taskQueue,
      ...workflowCode(),
      ...(maxCachedWorkflows !== undefined && { maxCachedWorkflows }),
      ...(options.workflowQueueActivities && { activities: options.workflowQueueActivities }),
    }),
    await Worker.create({
      connection,
      namespace,
      taskQueue: spApiTaskQueue(taskQueue),
      activities: createActivities({ solicitations, logger, ...(options.now && { now: options.now }) }),
      ...(maxSpApiRequestsPerSecond !== undefined && { maxTaskQueueActivitiesPerSecond: maxSpApiRequestsPerSecond }),
      // An SP-API call in flight is allowed to finish, so that its outcome reaches the workflow.
      shutdownGraceTime: '1 minute',
    }),
  ];
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  signal?.addEventListener('abort', shutdown, { once: true });
  logger.info('workers started', {
    namespace,
    taskQueue,
    spApiTaskQueue: spApiTaskQueue(taskQueue),
    maxSpApiRequestsPerSecond,
  });
  try {
    const runs = workers.map((worker) =>
      worker.run().catch((error: unknown) => {
        shutdown();
        throw error;
      }),
    );
    if (signal?.aborted) shutdown();
    const failure = (await Promise.allSettled(runs)).find((run) => run.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    signal?.removeEventListener('abort', shutdown);
  }
  logger.info('workers stopped', { taskQueue });
}
