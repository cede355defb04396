import { DEFAULT_POLICY } from '../src/domain/contract';
import { startOrder } from '../src/orders/start';
import { startSpApiSimulator } from '../src/simulator';
import { spawnSolicit, type SolicitProcess } from '../test/helpers/cli';
import { eventually } from '../test/helpers/eventually';
import type { Cleanup } from './cleanup';
import type { DevServer } from './servers';
import { peakInWindow, round } from './stats';

const DAY = 24 * 60 * 60 * 1000;
/** Amazon's usage plan for both Solicitations operations is 1 request/s with a burst of 5. */
const AMAZON_BURST_SECONDS = 5;

export interface PacingOptions {
  orders: number;
  workers: number;
  maxRps: number;
  /** The windows open together this long after the bench starts the orders. */
  leadMs: number;
}

export interface PacingReport {
  figures: { spapi_peak_rps: number; spapi_429_count: number; SPAPI_MAX_RPS: number };
  calls: number;
  averageRps: number;
  /** The most calls in any 10 seconds, per second: the rate once bursts average out. */
  peak10sRps: number;
  seconds: number;
  callsPerWorker: number[];
  solicited: number;
}

/**
 * `options.orders` orders whose windows open at the same instant, `options.workers` worker processes with
 * SPAPI_MAX_RPS, and the SP-API simulator with Amazon's usage plan scaled to that rate (rate and burst), so
 * that a 429 means the deployment went faster than the limit it was given.
 */
export async function pacingBurst(
  servers: DevServer,
  cleanup: Cleanup,
  options: PacingOptions,
  progress: (line: string) => void,
): Promise<PacingReport> {
  const plan = { ratePerSecond: options.maxRps, burst: options.maxRps * AMAZON_BURST_SECONDS };
  const simulator = await startSpApiSimulator({
    usagePlans: { getSolicitationActionsForOrder: plan, createProductReviewAndSellerFeedbackSolicitation: plan },
  });
  cleanup.add(() => simulator.close());
  const taskQueue = `bench-pacing-${Date.now().toString(36)}`;
  const workers: SolicitProcess[] = [];
  for (let i = 0; i < options.workers; i++) {
    const worker = spawnSolicit(['worker'], {
      ...simulator.env(),
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TASK_QUEUE: taskQueue,
      SPAPI_MAX_RPS: String(options.maxRps),
    });
    cleanup.add(() => worker.child.kill('SIGKILL'));
    workers.push(worker);
  }
  await Promise.all(workers.map((worker) => worker.waitForLogs((line) => line.message === 'workers started')));

  const opensAt = Date.now() + options.leadMs;
  // Delivered between 5 and 4 days before the window opens, so Amazon's window and the workflow's agree.
  const earliestDeliveryDate = new Date(opensAt - 5 * DAY).toISOString();
  const latestDeliveryDate = new Date(opensAt - 4 * DAY).toISOString();
  const orderIds = Array.from({ length: options.orders }, (_, i) => `${taskQueue}-${i}`);
  for (const amazonOrderId of orderIds) {
    simulator.addOrder({ amazonOrderId, marketplaceId: 'ATVPDKIKX0DER', earliestDeliveryDate, latestDeliveryDate });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < orderIds.length) {
        await startOrder(servers.client, taskQueue, {
          amazonOrderId: orderIds[next++]!,
          marketplaceId: 'ATVPDKIKX0DER',
          sellerId: 'A1SIMULATEDSELLER',
          fulfillmentChannel: 'MFN',
          shippedAt: new Date(opensAt - 6 * DAY).toISOString(),
          earliestDeliveryDate,
          latestDeliveryDate,
          policy: DEFAULT_POLICY,
        });
      }
    }),
  );
  if (Date.now() >= opensAt) throw new Error('starting the orders took longer than the lead before their windows');
  progress(`  ${options.orders} orders waiting; their windows open in ${round((opensAt - Date.now()) / 1000, 1)} s`);

  const expectedSeconds = (2 * options.orders) / options.maxRps;
  await eventually(
    'every order solicited',
    () => Promise.resolve(simulator.solicitations.length),
    (sent) => sent === options.orders,
    (expectedSeconds * 2 + 60) * 1000,
  );
  for (const worker of workers) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));

  const calls = simulator.requests.filter((request) => request.operation !== 'unknown');
  const times = calls.map((call) => call.at.getTime());
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return {
    figures: {
      spapi_peak_rps: peakInWindow(times, 1000),
      spapi_429_count: calls.filter((call) => call.status === 429).length,
      SPAPI_MAX_RPS: options.maxRps,
    },
    calls: calls.length,
    // Calls after the first, over the time from the first to the last: the long-run rate.
    averageRps: round((calls.length - 1) / seconds, 2),
    peak10sRps: peakInWindow(times, 10_000) / 10,
    seconds: round(seconds, 1),
    callsPerWorker: workers.map(
      (worker) =>
        worker.logs.filter((line) => line.message === 'eligibility checked' || line.message === 'solicited').length,
    ),
    solicited: new Set(simulator.solicitations.map((solicitation) => solicitation.amazonOrderId)).size,
  };
}
