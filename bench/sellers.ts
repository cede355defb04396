import { startSpApiSimulator, type RecordedRequest, type SpApiSimulator } from '../src/simulator';
import { eventually } from '../test/helpers/eventually';
import { addSellers, callsBySellerAndOperation, startOrders, startSellerWorkers } from '../test/helpers/seller-fleet';
import type { Cleanup } from './cleanup';
import type { DevServer } from './servers';
import { cpuSeconds, workflowTasks } from './process-usage';
import { peakInWindow, round } from './stats';

export interface SellersOptions {
  sellers: number;
  ordersPerSeller: number;
  workers: number;
  /** The big seller's orders in the fairness phase, opening just before the small seller's one. */
  backlogOrders: number;
  /** The windows of a phase open this long, plus `leadMsPerOrder` per order, after the bench starts its orders. */
  leadMs: number;
  leadMsPerOrder: number;
}

export interface SellersReport {
  figures: {
    spapi_429_count: number;
    spapi_peak_calls_per_seller_second: number;
    spapi_aggregate_rps: number;
    multi_seller_speedup: number;
    fairness_wait_seconds: number;
    workflow_task_cpu_ms: number;
  };
  rows: { phase: string; orders: number; calls: number; seconds: number; perSecond: number }[];
}

/**
 * Per-seller pacing on the dev server (fairness on, one partition), `options.workers` worker processes and
 * the SP-API simulator at Amazon's real plan (1 request/s, burst 5, per seller and operation). Three phases
 * in one run, each with sellers of its own so that every bucket starts full: one seller's orders, then
 * many sellers' at once, then one seller's single order whose window opens behind another's backlog.
 */
export async function sellersPacing(
  servers: DevServer,
  cleanup: Cleanup,
  options: SellersOptions,
  progress: (line: string) => void,
): Promise<SellersReport> {
  const simulator = await startSpApiSimulator();
  cleanup.add(() => simulator.close());
  const taskQueue = `bench-sellers-${Date.now().toString(36)}`;
  const solo = addSellers(simulator, 'A1SOLO', 1);
  const many = addSellers(simulator, 'A2MANY', options.sellers);
  const [backlogSeller, smallSeller] = addSellers(simulator, 'A3FAIR', 2) as [string, string];
  const fleet = await startSellerWorkers({
    simulator,
    sellers: [...solo, ...many, backlogSeller, smallSeller],
    temporalAddress: servers.temporalAddress,
    taskQueue,
    count: options.workers,
  });
  cleanup.add(() => fleet.stop());
  // From ready workers on: the start-up (bundling the workflow code) is not the orders' cost.
  const workerCpu = () => fleet.workers.reduce((sum, worker) => sum + cpuSeconds(worker.child.pid!), 0);
  const cpuAtStart = workerCpu();
  const phase = (name: string, orders: { amazonOrderId: string; sellerId: string }[], opensAt: number) =>
    runPhase(servers, simulator, taskQueue, { name, orders, opensAt }, progress);
  const opensAfter = (orders: number) => Date.now() + options.leadMs + orders * options.leadMsPerOrder;
  const ordersOf = (sellers: string[], count: number) =>
    sellers.flatMap((sellerId) =>
      Array.from({ length: count }, (_, i) => ({ amazonOrderId: `${taskQueue}-${sellerId}-${i}`, sellerId })),
    );

  const one = await phase('1 seller', ordersOf(solo, options.ordersPerSeller), opensAfter(options.ordersPerSeller));
  const manyOrders = ordersOf(many, options.ordersPerSeller);
  const all = await phase(`${options.sellers} sellers`, manyOrders, opensAfter(manyOrders.length));

  const opensAt = opensAfter(options.backlogOrders + 1);
  const smallOrder = { amazonOrderId: `${taskQueue}-${smallSeller}-0`, sellerId: smallSeller };
  const smallOpensAt = opensAt + 500;
  const backlog = ordersOf([backlogSeller], options.backlogOrders);
  await startOrders(servers.client, simulator, taskQueue, [smallOrder], smallOpensAt);
  await phase(`${options.backlogOrders} + 1 orders, 2 sellers`, backlog, opensAt);
  const smallSent = simulator.solicitations.find((s) => s.amazonOrderId === smallOrder.amazonOrderId);
  if (!smallSent) throw new Error('the small seller was not solicited');
  const cpu = workerCpu() - cpuAtStart;
  const orderIds = [...ordersOf(solo, options.ordersPerSeller), ...manyOrders, ...backlog, smallOrder].map(
    (order) => order.amazonOrderId,
  );
  const tasks = await workflowTasks(servers.client, orderIds);
  progress(`  worker CPU ${round(cpu, 1)} s over ${tasks} workflow tasks (activities included)`);

  const calls = simulator.requests.filter((request) => request.operation !== 'unknown');
  const peakPerKey = [...callsBySellerAndOperation(calls).values()].map((times) => peakInWindow(times, 1000));
  return {
    figures: {
      spapi_429_count: calls.filter((call) => call.status === 429).length,
      spapi_peak_calls_per_seller_second: Math.max(...peakPerKey),
      spapi_aggregate_rps: all.perSecond,
      multi_seller_speedup: round(all.perSecond / one.perSecond, 1),
      fairness_wait_seconds: round((smallSent.at.getTime() - smallOpensAt) / 1000, 1),
      workflow_task_cpu_ms: round((cpu * 1000) / tasks, 1),
    },
    rows: [one, all],
  };
}

async function runPhase(
  servers: DevServer,
  simulator: SpApiSimulator,
  taskQueue: string,
  phase: { name: string; orders: { amazonOrderId: string; sellerId: string }[]; opensAt: number },
  progress: (line: string) => void,
): Promise<SellersReport['rows'][number]> {
  const ids = new Set(phase.orders.map((order) => order.amazonOrderId));
  await startOrders(servers.client, simulator, taskQueue, phase.orders, phase.opensAt);
  if (Date.now() >= phase.opensAt) throw new Error(`${phase.name}: starting the orders took longer than the lead`);
  progress(`  ${phase.name}: ${ids.size} orders waiting; their windows open in ${secondsUntil(phase.opensAt)} s`);
  await eventually(
    `${phase.name}: every order solicited`,
    () => Promise.resolve(simulator.solicitations.filter((s) => ids.has(s.amazonOrderId)).length),
    (sent) => sent === ids.size,
    (2 * ids.size + 120) * 1000,
  );
  const calls = simulator.requests.filter(
    (request: RecordedRequest) => request.amazonOrderId !== undefined && ids.has(request.amazonOrderId),
  );
  const times = calls.map((call) => call.at.getTime());
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  // Calls after the first, over the time from the first to the last: the rate the phase ran at.
  return {
    phase: phase.name,
    orders: ids.size,
    calls: calls.length,
    seconds: round(seconds, 1),
    perSecond: round((calls.length - 1) / seconds, 2),
  };
}

function secondsUntil(at: number): number {
  return round((at - Date.now()) / 1000, 1);
}
