import type { Client } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/domain/contract';
import { guardedToolPath } from '../../src/local/processes';
import { runServers } from '../setup/servers';
import { eventually } from './eventually';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_VALUE_TYPES: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

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
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]])),
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
