import { TestWorkflowEnvironment } from '@temporalio/testing';
import { guardedToolPath } from '../../src/local/processes';
import { runServers } from '../setup/servers';

/** A time-skipping test server of this test file's own: time jumps are global to a server. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: guardedToolPath('temporal-test-server') } },
  });
}

/** The run's shared Temporal dev server, started by the integration global setup. */
export function connectToDevServer(): Promise<TestWorkflowEnvironment> {
  const { temporalAddress, temporalNamespace } = runServers();
  return TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress, namespace: temporalNamespace });
}

let counter = 0;
/** A task queue no other test file polls. */
export function uniqueTaskQueue(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}
