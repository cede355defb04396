import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { MarketplacesServed } from '../../src/config/marketplaces';
import { DEFAULT_POLICY } from '../../src/domain/contract';
import { createLogger, type Logger } from '../../src/logging';
import { startOnly, startOrder } from '../../src/orders/start';
import { createReconcileActivities, createSearchOrdersActivities } from '../../src/reconcile/activities';
import { clientSweepLookup } from '../../src/reconcile/sweeps';
import { searchOrdersTaskQueue } from '../../src/reconcile/workflow/contract';
import type { OrdersClient } from '../../src/spapi/orders-client';
import type { SellerAuthorizations } from '../../src/spapi/sellers';

export interface ReconcileWorkersOptions {
  connection: NativeConnection;
  client: Client;
  namespace?: string;
  taskQueue: string;
  orders: Pick<OrdersClient, 'searchOrders'>;
  sellers: SellerAuthorizations;
  marketplaces?: MarketplacesServed;
  pageSize?: number;
  logger?: Logger;
  /** Where the orders' workflows are started; `taskQueue` unless given (a queue no worker polls, for the bench). */
  startQueue?: string;
}

/**
 * The reconciliation workers as `solicit worker` runs them: the workflows and reconciliation's bookkeeping
 * on `taskQueue`, the `searchOrders` pages on their own queue; `run` runs while they poll.
 */
export async function withReconcileWorkers<T>(options: ReconcileWorkersOptions, run: () => Promise<T>): Promise<T> {
  const { connection, client, taskQueue, orders, sellers, marketplaces } = options;
  const namespace = options.namespace ?? 'default';
  const logger = options.logger ?? createLogger('error');
  const workflows = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: createReconcileActivities({
      orders,
      start: (input) => startOrder(client, taskQueue, input),
      sellerIds: () => sellers.sellerIds,
      servedMarketplaces: (sellerId) => sellers.marketplacesFor(sellerId),
      sweeps: clientSweepLookup(client),
      policy: DEFAULT_POLICY,
      ...(marketplaces && { marketplaces }),
      logger,
    }),
  });
  const pages = await Worker.create({
    connection,
    namespace,
    taskQueue: searchOrdersTaskQueue(taskQueue),
    activities: createSearchOrdersActivities({
      orders,
      startOnly: (input) => startOnly(client, options.startQueue ?? taskQueue, input),
      policy: DEFAULT_POLICY,
      ...(marketplaces && { marketplaces }),
      logger,
      ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    }),
  });
  return workflows.runUntil(() => pages.runUntil(run));
}
