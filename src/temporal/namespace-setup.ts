import type { Client } from '@temporalio/client';
import { searchOrdersTaskQueue } from '../reconcile/workflow/contract';
import { applyReconcileSchedule, type ReconcileScheduleSettings } from '../reconcile/schedule';
import { checkRetention } from './retention';
import { ensureSearchAttributes } from './search-attributes';
import { configureSpApiTaskQueue, type SpApiPacing } from './spapi-task-queue';

export interface NamespaceSetupSettings {
  namespace: string;
  /** The workflows' task queue (docs/spec.md: `TASK_QUEUE`). */
  taskQueue: string;
  /** The SP-API task queue's rate limits (docs/spec.md: `SPAPI_MAX_RPS`, `SPAPI_MAX_TOTAL_RPS`). */
  spApiPacing: SpApiPacing;
  reconcile: Omit<ReconcileScheduleSettings, 'taskQueue'>;
  /** The `searchOrders` task queue's rate for each seller (docs/spec.md: `SPAPI_SEARCH_ORDERS_RPS`). */
  searchOrdersRps: number;
}

export interface NamespaceSetup {
  /** One line per step, saying what it found or changed. */
  lines: string[];
  /** False when a step needs someone else's hand (Temporal Cloud's search attributes): its line says what to do. */
  complete: boolean;
}

/**
 * `solicit setup`: brings a namespace to what the product needs, idempotently, so that it can run on every
 * deployment and at every `solicit dev` start: the retention check, the search attributes, the SP-API task
 * queue, the `reconcile-orders` schedule. A second run changes nothing. Each step's line goes to `report` as it is done.
 */
export async function setUpNamespace(
  client: Client,
  settings: NamespaceSetupSettings,
  report: (line: string) => void = () => undefined,
): Promise<NamespaceSetup> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    report(line);
  };
  say(await checkRetention(client.workflowService, settings.namespace));
  const attributes = await ensureSearchAttributes(client.connection, settings.namespace);
  say(attributes.message);
  const pacing = await configureSpApiTaskQueue(client.workflowService, {
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...settings.spApiPacing,
  });
  say(pacing.message);
  const searchOrders = await configureSpApiTaskQueue(client.workflowService, {
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    queue: searchOrdersTaskQueue(settings.taskQueue),
    maxRps: settings.searchOrdersRps,
  });
  say(searchOrders.message);
  const schedule = await applyReconcileSchedule(client, { ...settings.reconcile, taskQueue: settings.taskQueue });
  say(schedule.message);
  return { lines, complete: attributes.ok };
}
