import { runServers } from '../setup/servers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { startOrder } from '../../src/orders/start';
import type { RecordedRequest, SpApiSimulator } from '../../src/simulator';
import { spawnSolicit, type SolicitProcess } from './cli';
import { orderInput } from './orders';

const DAY_MS = 24 * 60 * 60 * 1000;
export const MARKETPLACE_ID = 'ATVPDKIKX0DER';
/** Amazon's usage plan for both Solicitations operations, per seller and application. */
export const AMAZON_PLAN = { ratePerSecond: 1, burst: 5 };

/** Seller IDs the simulator knows, each with its own refresh token. */
export function addSellers(simulator: SpApiSimulator, prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const sellerId = `${prefix}${String(i).padStart(3, '0')}`;
    simulator.addSeller(sellerId, `Atzr|${sellerId}`);
    return sellerId;
  });
}

/**
 * `count` `solicit worker` processes serving `sellers` through SPAPI_SELLERS_FILE, started and ready.
 * The returned `stop` kills them and removes the sellers file.
 */
export async function startSellerWorkers(options: {
  simulator: SpApiSimulator;
  sellers: string[];
  temporalAddress: string;
  taskQueue: string;
  count: number;
  env?: Record<string, string>;
}): Promise<{ workers: SolicitProcess[]; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'review-solicitations-sellers-'));
  const sellersFile = path.join(dir, 'sellers.json');
  writeFileSync(sellersFile, JSON.stringify(Object.fromEntries(options.sellers.map((id) => [id, `Atzr|${id}`]))));
  const { LWA_REFRESH_TOKEN: _single, ...simulatorEnv } = options.simulator.env();
  const env = {
    ...simulatorEnv,
    SPAPI_SELLERS_FILE: sellersFile,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TASK_QUEUE: options.taskQueue,
    ...options.env,
  };
  const workers = Array.from({ length: options.count }, () => spawnSolicit(['worker'], env));
  const stop = async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Bundling the workflows takes a while on a busy machine.
    await Promise.all(
      workers.map((worker) => worker.waitForLogs((line) => line.message === 'workers started', 1, 120_000)),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { workers, stop };
}

/** One `solicit worker` on the test servers' Temporal, serving `seller` alone, started and ready. */
export function startOneSellerWorker(
  simulator: SpApiSimulator,
  seller: string,
  taskQueue: string,
  env: Record<string, string> = {},
): ReturnType<typeof startSellerWorkers> {
  const { temporalAddress } = runServers();
  return startSellerWorkers({ simulator, sellers: [seller], temporalAddress, taskQueue, count: 1, env });
}

/**
 * Adds the orders to the simulator and starts their workflows, with Amazon's window opening at
 * `opensAt` (delivered 5 to 4 days before, so Amazon's window and the workflow's agree).
 */
export async function startOrders(
  client: Client,
  simulator: SpApiSimulator,
  taskQueue: string,
  orders: { amazonOrderId: string; sellerId: string }[],
  opensAt: number,
): Promise<void> {
  const earliestDeliveryDate = new Date(opensAt - 5 * DAY_MS).toISOString();
  const latestDeliveryDate = new Date(opensAt - 4 * DAY_MS).toISOString();
  for (const { amazonOrderId, sellerId } of orders) {
    simulator.addOrder({
      amazonOrderId,
      sellerId,
      marketplaceId: MARKETPLACE_ID,
      earliestDeliveryDate,
      latestDeliveryDate,
    });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < orders.length) {
        const { amazonOrderId, sellerId } = orders[next++]!;
        await startOrder(
          client,
          taskQueue,
          orderInput({
            amazonOrderId,
            marketplaceId: MARKETPLACE_ID,
            sellerId,
            shippedAt: new Date(opensAt - 6 * DAY_MS).toISOString(),
            earliestDeliveryDate,
            latestDeliveryDate,
          }),
        );
      }
    }),
  );
}

/** Solicitations calls by `<sellerId> <operation>`, the key of Amazon's usage plan. */
export function callsBySellerAndOperation(requests: readonly RecordedRequest[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const request of requests) {
    if (
      request.operation !== 'getSolicitationActionsForOrder' &&
      request.operation !== 'createProductReviewAndSellerFeedbackSolicitation'
    )
      continue;
    const key = `${request.sellerId ?? '?'} ${request.operation}`;
    byKey.set(key, [...(byKey.get(key) ?? []), request.at.getTime()]);
  }
  return byKey;
}

/** The calls a token bucket of `ratePerSecond` and `burst`, full at the first call, would have refused. */
export function tokenBucketViolations(times: readonly number[], ratePerSecond: number, burst: number): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const refused: number[] = [];
  let tokens = burst;
  let last = sorted[0] ?? 0;
  for (const at of sorted) {
    tokens = Math.min(burst, tokens + ((at - last) / 1000) * ratePerSecond);
    last = at;
    // Clocks of the simulator and of the server's rate limiter are read a few milliseconds apart.
    if (tokens < 0.99) refused.push(at);
    else tokens -= 1;
  }
  return refused;
}
