import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { WorkerDeploymentVersion } from '../config/worker';
import { spApiTaskQueue } from '../domain/contract';
import { searchOrdersTaskQueue } from '../reconcile/workflow/contract';
import type { Logger } from '../logging';
import type { SolicitationsApi } from '../spapi/solicitations';
import { workflowCode } from './workflow-code';

export interface SolicitationWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  /** The workflows' task queue (docs/spec.md: `TASK_QUEUE`); the SP-API activities poll `spApiTaskQueue(taskQueue)`. */
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
   * bookkeeping (src/reconcile/activities.ts), which calls no SP-API operation.
   */
  workflowQueueActivities?: object;
  /**
   * The Worker Deployment version the workflow worker runs as (docs/spec.md "Deploys"); unset, it is
   * unversioned. The SP-API activity worker stays unversioned: its task queue is one queue whose
   * server-side limits pace every seller across versions, and an activity is a single call that any build
   * may run.
   */
  deployment?: WorkerDeploymentVersion;
  /**
   * Reconciliation's `searchOrders` pages, on `searchOrdersTaskQueue(taskQueue)`, which the server paces
   * per seller; with `maxSearchOrdersPerSecond` (a server that refused that), this worker paces the queue.
   */
  searchOrdersActivities?: object;
  maxSearchOrdersPerSecond?: number;
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
  const { maxCachedWorkflows, deployment } = options;
  const workers = [
    await Worker.create({
      connection,
      namespace,
      taskQueue,
      ...workflowCode(),
      ...(maxCachedWorkflows !== undefined && { maxCachedWorkflows }),
      ...(options.workflowQueueActivities && { activities: options.workflowQueueActivities }),
      ...(deployment && {
        workerDeploymentOptions: {
          version: deployment,
          useWorkerVersioning: true,
          // Both workflows move to the current version at their next workflow task: an order sleeps far longer
          // than a version lives, and a reconciliation run (hours for a big seller) pinned to a draining
          // version would hold its workers. Their changes therefore stay behind patched(), and
          // `solicit replay-check` replays both. Declared here, not in the workflow code, because a server
          // refuses a behaviour from an unversioned worker.
          defaultVersioningBehavior: 'AUTO_UPGRADE',
        },
      }),
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
    ...(options.searchOrdersActivities
      ? [
          await Worker.create({
            connection,
            namespace,
            taskQueue: searchOrdersTaskQueue(taskQueue),
            activities: options.searchOrdersActivities,
            ...(options.maxSearchOrdersPerSecond !== undefined && {
              maxTaskQueueActivitiesPerSecond: options.maxSearchOrdersPerSecond,
            }),
            shutdownGraceTime: '1 minute',
          }),
        ]
      : []),
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
    ...(deployment && { deploymentName: deployment.deploymentName, buildId: deployment.buildId }),
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
