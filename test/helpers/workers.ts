import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createLogger } from '../../src/logging';
import type { SolicitationsApi } from '../../src/spapi/solicitations';
import { runSolicitationWorkers } from '../../src/workers/worker';

interface Server {
  nativeConnection: NativeConnection;
  namespace?: string;
}

export interface RunningWorkers {
  /** Stops the workers and waits until they have finished their tasks. */
  stop(): Promise<void>;
}

/**
 * The product's workers on `taskQueue` against `solicitations`, running until `stop()`. Paced for tests
 * unless told otherwise: the pacing has tests of its own.
 */
export function runProductWorkers(
  server: Server,
  options: { taskQueue: string; solicitations: SolicitationsApi; maxSpApiRequestsPerSecond?: number },
): RunningWorkers {
  const abort = new AbortController();
  const workers = runSolicitationWorkers({
    connection: server.nativeConnection,
    namespace: server.namespace ?? 'default',
    taskQueue: options.taskQueue,
    solicitations: options.solicitations,
    logger: createLogger('error'),
    maxSpApiRequestsPerSecond: options.maxSpApiRequestsPerSecond ?? 1000,
    signal: abort.signal,
  });
  // Awaited by stop(); a failure to start shows there rather than as an unhandled rejection.
  void workers.catch(() => undefined);
  return {
    async stop() {
      abort.abort();
      await workers;
    },
  };
}

/** Runs `use` while one worker serves `taskQueue` with the given workflows and activities, then stops it. */
export async function withWorker<T>(
  server: Server,
  options: Pick<WorkerOptions, 'taskQueue' | 'workflowsPath' | 'activities'>,
  use: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({
    connection: server.nativeConnection,
    namespace: server.namespace ?? 'default',
    ...options,
  });
  return worker.runUntil(use);
}

/** The product's workflows, for a worker of `withWorker`. */
export const PRODUCT_WORKFLOWS = require.resolve('../../src/workflows');

/** Workflows of test/fixtures/workflows (stubs of the product's, and probes), for a worker of `withWorker`. */
export const fixtureWorkflows = (stub: string): string => require.resolve(`../fixtures/workflows/${stub}`);
