import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { SpApiRegion } from '../src/domain/marketplaces';
import { startOptions } from '../src/orders/start';
import { DEFAULT_SEARCH_ORDERS_RPS } from '../src/config/settings';
import type { ReconcileRunResult } from '../src/reconcile/workflow/contract';
import { startSpApiSimulator } from '../src/simulator';
import { createSpApiClients } from '../src/spapi/clients';
import { notifiedInput } from '../test/helpers/orders';
import { withReconcileWorkers } from '../test/helpers/reconcile-harness';
import { sellersOf } from '../test/helpers/spapi';
import type { Cleanup } from './cleanup';
import type { DevServer } from './servers';
import { round } from './stats';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** One marketplace per region: the sellers are spread over the three. */
const MARKETPLACE_OF: Record<SpApiRegion, string> = { na: 'ATVPDKIKX0DER', eu: 'A1F83G8C2ARO7P', fe: 'A1VC38T7YXB528' };
const REGIONS: SpApiRegion[] = ['na', 'eu', 'fe'];
/** Amazon's page, and the overlap of each sweep with the last (docs/spec.md "Reconciliation", "Incremental"). */
const PAGE_SIZE = 100;
const OVERLAP_MS = HOUR_MS;

export interface ReconcileBenchOptions {
  sellers: number;
  ordersPerSeller: number;
}

export interface ReconcileReport {
  reconcile_orders_started: number;
  reconcile_signals_to_running_orders: number;
  reconcile_max_history_events: number;
  reconcile_seconds_1000_sellers: number;
  reconcile_sweep_hours_50k_per_day: number;
}

/**
 * `options.sellers` simulated sellers, a third in each region, each with `ordersPerSeller` shipped orders
 * of which all but one have a workflow already (ingest saw them): one reconcileOrders run must start the
 * missing one of each seller, and only those. The simulator's searchOrders plan is raised to 1,000
 * requests/s for the run, and the workers run without the server's per-seller limit, so that the time
 * measures the product (its workflows, activities and starts), not Amazon's allowance. The orders'
 * workflows are started on a queue no worker polls: the bench measures reconciliation, not the orders.
 */
export async function reconcileAtScale(
  servers: DevServer,
  cleanup: Cleanup,
  options: ReconcileBenchOptions,
  progress: (line: string) => void,
): Promise<ReconcileReport> {
  const { client } = servers;
  const stamp = Date.now().toString(36).toUpperCase();
  const sellerIds = Array.from(
    { length: options.sellers },
    (_, index) => `A${String(index).padStart(5, '0')}B${stamp}`,
  );
  const regionOf = (index: number) => REGIONS[index % REGIONS.length]!;
  const simulator = await startSpApiSimulator({
    usagePlans: { searchOrders: { ratePerSecond: 1000, burst: 1000 } },
    sellers: Object.fromEntries(sellerIds.map((id) => [id, `refresh-${id}`])),
  });
  cleanup.add(() => simulator.close());
  const entries = Object.fromEntries(
    sellerIds.map((id, index) => [
      id,
      { refreshToken: `refresh-${id}`, marketplaces: [MARKETPLACE_OF[regionOf(index)]] },
    ]),
  );
  const sellers = sellersOf(entries);
  const settings = simulator.env();
  const clients = createSpApiClients({
    lwaClientId: simulator.clientId,
    lwaClientSecret: simulator.clientSecret,
    lwaEndpoint: settings.LWA_ENDPOINT!,
    spApiEndpoint: simulator.url,
    sellers,
  });
  const taskQueue = `bench-reconcile-${stamp.toLowerCase()}`;
  const ordersQueue = `${taskQueue}-orders-unpolled`;

  const now = Date.now();
  const known: string[] = [];
  const missing: string[] = [];
  sellerIds.forEach((sellerId, index) => {
    for (let order = 0; order < options.ordersPerSeller; order += 1) {
      const amazonOrderId = `bench-${stamp}-${index}-${order}`;
      const marketplaceId = MARKETPLACE_OF[regionOf(index)];
      simulator.addOrder({
        amazonOrderId,
        sellerId,
        marketplaceId,
        createdTime: new Date(now - 2 * DAY_MS),
        shipTime: new Date(now - DAY_MS),
        lastUpdatedTime: new Date(now - DAY_MS),
        earliestDeliveryDate: new Date(now + DAY_MS),
        latestDeliveryDate: new Date(now + 3 * DAY_MS),
      });
      (order === 0 ? missing : known).push(amazonOrderId);
    }
  });
  progress(`starting the ${known.length} orders ingest saw...`);
  await inBatches(known, 50, async (amazonOrderId) => {
    const input = notifiedInput(simulator.order(amazonOrderId)!);
    await client.workflow.start('reviewSolicitation', startOptions(input, ordersQueue));
  });

  const connection = await NativeConnection.connect({ address: servers.temporalAddress });
  cleanup.add(() => connection.close());
  progress(`reconciling ${options.sellers} sellers...`);
  const workflowId = `bench-reconcile-${stamp}`;
  const began = Date.now();
  const result = await withReconcileWorkers(
    { connection, client, taskQueue, orders: clients.orders, sellers, startQueue: ordersQueue },
    () =>
      client.workflow.execute('reconcileOrders', {
        taskQueue,
        workflowId,
        args: [{ days: 3 }],
      }) as Promise<ReconcileRunResult>,
  );
  const seconds = round((Date.now() - began) / 1000, 1);
  progress(
    `reconcileOrders: ${result.sellers} sellers, ${result.regions} regions, ${result.totals.found} found, ` +
      `${result.totals.started} started, ${result.totals.known} known, ${result.failures} failures, ${seconds} s`,
  );

  let started = 0;
  await inBatches(missing, 50, async (id) => {
    const description = await client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
    if (description?.type === 'reviewSolicitation') started += 1;
  });
  let signals = 0;
  await inBatches(known, 50, async (id) => {
    const history = await client.workflow.getHandle(id).fetchHistory();
    signals += history.events!.filter((event) => event.workflowExecutionSignaledEventAttributes).length;
  });
  const maxHistory = await largestHistory(client, taskQueue);
  progress(`largest history: ${maxHistory} events`);
  return {
    reconcile_orders_started: started,
    reconcile_signals_to_running_orders: signals,
    reconcile_max_history_events: maxHistory,
    reconcile_seconds_1000_sellers: seconds,
    reconcile_sweep_hours_50k_per_day: sweepHours(50_000, DEFAULT_SEARCH_ORDERS_RPS, DAY_MS),
  };
}

/**
 * The hours one seller-region's sweep takes in steady state, from the cursor logic: it asks for the orders
 * updated since an hour before the end of the last sweep, an interval ago, so it reads (interval + 1 h) of
 * orders, 100 a page, each page dispatched by the server at `rps` for the seller (the first at once).
 */
export function sweepHours(ordersPerDay: number, rps: number, intervalMs: number): number {
  const orders = (ordersPerDay * (intervalMs + OVERLAP_MS)) / DAY_MS;
  const pages = Math.ceil(orders / PAGE_SIZE);
  return round((pages - 1) / rps / 3600, 2);
}

/** The largest history of the run: every run of reconcileOrders (continued as new) and every seller's sweep. */
async function largestHistory(client: Client, taskQueue: string): Promise<number> {
  let largest = 0;
  for await (const workflow of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    largest = Math.max(largest, workflow.historyLength);
  }
  return largest;
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let index = 0; index < items.length; index += size)
    await Promise.all(items.slice(index, index + size).map(each));
}
