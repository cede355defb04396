import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/domain/contract';
import { guardedToolPath } from '../../src/local/processes';
import { runServers } from '../setup/servers';
import { eventually } from './eventually';

/**
 * A time-skipping test server of this test file's own (time jumps are global to a server), with the
 * product's search attributes registered so that workflows can upsert them.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: guardedToolPath('temporal-test-server') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  return env;
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

/**
 * Workflows on a task queue, from visibility. Visibility is eventually consistent, so this waits until at
 * least `expected` are indexed and returns the count then: a count above `expected` is a duplicate to see.
 */
export async function countWorkflowsOn(client: Client, taskQueue: string, expected: number): Promise<number> {
  const { count } = await eventually(
    `workflows on ${taskQueue}`,
    () => client.workflow.count(`TaskQueue = "${taskQueue}"`),
    (result) => result.count >= expected,
  );
  return count;
}
