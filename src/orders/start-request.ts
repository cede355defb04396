import { randomUUID } from 'node:crypto';
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import { SearchAttributeType, TypedSearchAttributes, toPayloads, type Payload } from '@temporalio/common';
import { WORKFLOW_TYPE, type ReviewSolicitationWorkflow } from '../domain/contract';

/**
 * `StartWorkflowExecution` sent as the SDK's `client.workflow.start` sends it, for the one thing the SDK
 * drops from the answer: whether this call started the workflow or found it running (`USE_EXISTING`).
 * Knowing it from the start's own answer spares a describe per order.
 */

/** `temporal.api.enums.v1` numbers, fixed by the wire format. */
const WorkflowIdReusePolicy = { REJECT_DUPLICATE: 3 } as const;
const WorkflowIdConflictPolicy = { USE_EXISTING: 2 } as const;

type StartOptions = WorkflowStartOptions<ReviewSolicitationWorkflow>;

/** True when this call started the workflow; false when one with the ID was running. Throws ALREADY_EXISTS for a closed one. */
export async function startOrUseExisting(client: Client, options: StartOptions): Promise<boolean> {
  if (options.workflowIdReusePolicy !== 'REJECT_DUPLICATE' || options.workflowIdConflictPolicy !== 'USE_EXISTING') {
    throw new TypeError('startOrUseExisting sends REJECT_DUPLICATE and USE_EXISTING only');
  }
  const { namespace, identity, loadedDataConverter } = client.options;
  const encode = async (...values: unknown[]) => {
    let payloads = toPayloads(loadedDataConverter.payloadConverter, ...values) ?? [];
    for (const codec of loadedDataConverter.payloadCodecs) payloads = await codec.encode(payloads);
    return payloads;
  };
  const [summary, details] = await encode(options.staticSummary, options.staticDetails);
  const response = await client.workflowService.startWorkflowExecution({
    namespace,
    identity,
    requestId: randomUUID(),
    workflowId: options.workflowId,
    workflowType: { name: WORKFLOW_TYPE },
    taskQueue: { name: options.taskQueue },
    input: { payloads: await encode(...(options.args ?? [])) },
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    searchAttributes: { indexedFields: searchAttributeFields(options.typedSearchAttributes ?? []) },
    userMetadata: { summary, details },
    ...(options.priority?.fairnessKey !== undefined && { priority: { fairnessKey: options.priority.fairnessKey } }),
  });
  return response.started === true;
}

// Search attributes are read by the server, so they are plain JSON (never through codecs), typed in their metadata.
const METADATA_TYPE: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

function searchAttributeFields(pairs: StartOptions['typedSearchAttributes']): Record<string, Payload> {
  const text = new TextEncoder();
  const fields: Record<string, Payload> = {};
  const list = pairs instanceof TypedSearchAttributes ? pairs.getAll() : (pairs ?? []);
  for (const { key, value } of list) {
    const type = METADATA_TYPE[key.type];
    if (type === undefined) throw new TypeError(`search attribute ${key.name}: type ${key.type} is not sent here`);
    const json = JSON.stringify(value instanceof Date ? value.toISOString() : value);
    fields[key.name] = {
      metadata: { encoding: text.encode('json/plain'), type: text.encode(type) },
      data: text.encode(json),
    };
  }
  return fields;
}
