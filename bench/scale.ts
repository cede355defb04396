import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NativeConnection, Worker } from '@temporalio/worker';
import { LiveFile } from '../src/config/live-file';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../src/domain/contract';
import { createLogger } from '../src/logging';
import { phaseStats } from '../src/operator/phase-stats';
import { startOrder } from '../src/orders/start';
import { startSpApiSimulator } from '../src/simulator';
import { parseSellers } from '../src/spapi/from-env';
import { spawnSolicit } from '../test/helpers/cli';
import { eventually } from '../test/helpers/eventually';
import { startRecordingLwa } from '../test/helpers/recording-lwa';
import { addSellers, callsBySellerAndOperation, startOrders, startSellerWorkers } from '../test/helpers/seller-fleet';
import { countingVisibilityClient } from '../test/helpers/visibility-calls';
import type { Cleanup } from './cleanup';
import { cpuSeconds, statusMb, workflowTasks } from './process-usage';
import type { DevServer } from './servers';
import { peakInWindow, percentile, round } from './stats';
import { workerMemory } from './worker-memory';

export interface ScaleOptions {
  /** Sellers and orders of each whose windows open in the same minute, served by `workers` processes. */
  sellers: number;
  ordersPerSeller: number;
  workers: number;
  /** Sellers in the file of the worker-start and re-read figures. */
  fileSellers: number;
  /** LWA's answer time in the worker-start figure. */
  lwaDelayMs: number;
  /** Waiting orders of the worker-memory pair: the second is three times the first, as 30k is to 10k. */
  memorySizes: [number, number];
  /** The share of blocked orders in the namespace when `stats` runs. */
  blockedShare: number;
  /** Sellers the blocked orders belong to. */
  blockedSellers: number;
}

export type Figures = Record<string, number>;

const DAY = 24 * 60 * 60 * 1000;
const MARKETPLACE_ID = 'ATVPDKIKX0DER';

/**
 * Agency scale on one dev server, in the order that lets each step reuse the orders of the one before:
 * the sellers file looked at and re-read; a worker starting with `fileSellers` sellers; `sellers` sellers'
 * orders opening at once; one worker's memory at two sizes of waiting orders; then, with a share of the
 * namespace blocked, `solicit stats` over every order the steps left.
 */
export async function scale(
  servers: DevServer,
  cleanup: Cleanup,
  options: ScaleOptions,
  progress: (line: string) => void,
): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'review-solicitations-scale-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  const figures: Figures = {};
  Object.assign(figures, sellersFileReread(dir, options.fileSellers, progress));
  Object.assign(figures, await workerStart(servers, cleanup, dir, options, progress));
  Object.assign(figures, await manySellers(servers, cleanup, options, progress));
  Object.assign(figures, await memoryPair(servers, cleanup, options.memorySizes, progress));
  Object.assign(figures, await statsDuringIncident(servers, options, progress));
  return figures;
}

/** A sellers file as an agency's would be: each seller's refresh token (about 400 characters) and marketplace. */
function sellersFile(count: number, variant = 0): string {
  const pad = 'x'.repeat(360);
  return JSON.stringify(
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [
        sellerId('A6FILE', i),
        { refreshToken: `Atzr|IwEB${variant}${pad}${i}`, marketplaces: [MARKETPLACE_ID] },
      ]),
    ),
  );
}

function sellerId(prefix: string, i: number): string {
  return `${prefix}${String(i).padStart(5, '0')}`;
}

/** One look at an unchanged file (a stat) and one at a changed file (read, compare, parse), median of each. */
function sellersFileReread(dir: string, count: number, progress: (line: string) => void): Figures {
  const file = path.join(dir, 'sellers-reread.json');
  writeFileSync(file, sellersFile(count));
  // Written long before, as a file is between edits: its mtime is to be trusted.
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
  let now = 0;
  const live = new LiveFile({
    variable: 'SPAPI_SELLERS_FILE',
    path: file,
    parse: parseSellers,
    logger: createLogger('error'),
    now: () => now,
  });
  const look = () => {
    now += 2_000;
    const began = performance.now();
    const sellers = live.current;
    return { ms: performance.now() - began, sellers };
  };
  const unchanged = Array.from({ length: 200 }, () => look().ms);
  const changed = Array.from({ length: 10 }, (_, variant) => {
    writeFileSync(file, sellersFile(count, variant + 1));
    const { ms, sellers } = look();
    if (!sellers.get(sellerId('A6FILE', 0))?.refreshToken.startsWith(`Atzr|IwEB${variant + 1}`)) {
      throw new Error('the changed sellers file was not taken');
    }
    return ms;
  });
  const size = Buffer.byteLength(sellersFile(count));
  progress(
    `  sellers file of ${count} sellers, ${round(size / 2 ** 20, 1)} MiB: looked at 200 times, changed 10 times`,
  );
  const k = `${count / 1000}k`;
  return {
    [`sellers_file_reread_ms_${k}_sellers_unchanged`]: round(percentile(unchanged, 50), 3),
    [`sellers_file_reread_ms_${k}_sellers_changed`]: round(percentile(changed, 50), 1),
  };
}

/** A worker with `fileSellers` sellers against an LWA that answers in `lwaDelayMs`: how many requests at once, how soon it polls. */
async function workerStart(
  servers: DevServer,
  cleanup: Cleanup,
  dir: string,
  options: ScaleOptions,
  progress: (line: string) => void,
): Promise<Figures> {
  const lwa = await startRecordingLwa(options.lwaDelayMs);
  cleanup.add(() => lwa.close());
  const file = path.join(dir, 'sellers-start.json');
  writeFileSync(file, sellersFile(options.fileSellers));
  const began = performance.now();
  const worker = spawnSolicit(['worker'], {
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TASK_QUEUE: `bench-scale-start-${Date.now().toString(36)}`,
    LWA_CLIENT_ID: 'amzn1.application-oa2-client.bench',
    LWA_CLIENT_SECRET: 'bench-secret',
    LWA_ENDPOINT: lwa.url,
    SPAPI_ENDPOINT: 'http://127.0.0.1:9',
    SPAPI_SELLERS_FILE: file,
  });
  cleanup.add(() => worker.child.kill('SIGKILL'));
  await worker.waitForLogs((line) => line.message === 'workers started', 1, 120_000);
  const readySeconds = (performance.now() - began) / 1000;
  progress(`  worker with ${options.fileSellers} sellers polling after ${round(readySeconds, 1)} s`);
  await eventually(
    'every seller asked for at start',
    () => Promise.resolve(lwa.requests.size),
    (asked) => asked === options.fileSellers,
    600_000,
  );
  progress(`  every seller's token obtained after ${round((performance.now() - began) / 1000, 1)} s`);
  worker.child.kill('SIGTERM');
  await worker.exited;
  const k = `${options.fileSellers / 1000}k`;
  return {
    worker_start_lwa_concurrency_max: lwa.maxInFlight,
    [`worker_ready_seconds_${k}_sellers`]: round(readySeconds, 1),
  };
}

/** `sellers` sellers with `ordersPerSeller` orders each, every window opening at the same instant. */
async function manySellers(
  servers: DevServer,
  cleanup: Cleanup,
  options: ScaleOptions,
  progress: (line: string) => void,
): Promise<Figures> {
  const simulator = await startSpApiSimulator();
  cleanup.add(() => simulator.close());
  const taskQueue = `bench-scale-${Date.now().toString(36)}`;
  const sellers = addSellers(simulator, 'A7MANY', options.sellers);
  const fleet = await startSellerWorkers({
    simulator,
    sellers,
    temporalAddress: servers.temporalAddress,
    taskQueue,
    count: options.workers,
  });
  cleanup.add(() => fleet.stop());
  const workerCpu = () => fleet.workers.reduce((sum, worker) => sum + cpuSeconds(worker.child.pid!), 0);
  const orders = sellers.flatMap((id) =>
    Array.from({ length: options.ordersPerSeller }, (_, i) => ({
      amazonOrderId: `${taskQueue}-${id}-${i}`,
      sellerId: id,
    })),
  );
  // Starting them takes a while on this machine: the windows open once they all wait.
  const opensAt = Date.now() + 30_000 + orders.length * 40;
  const cpuAtStart = workerCpu();
  await startOrders(servers.client, simulator, taskQueue, orders, opensAt);
  if (Date.now() >= opensAt) throw new Error('starting the orders took longer than the lead');
  progress(
    `  ${orders.length} orders of ${options.sellers} sellers waiting; windows open in ${round((opensAt - Date.now()) / 1000, 1)} s`,
  );
  const ids = new Set(orders.map((order) => order.amazonOrderId));
  await eventually(
    'every order solicited',
    () => Promise.resolve(simulator.solicitations.filter((s) => ids.has(s.amazonOrderId)).length),
    (sent) => sent === ids.size,
    (4 * ids.size + 300) * 1000,
  );
  const cpu = workerCpu() - cpuAtStart;
  const calls = simulator.requests.filter((request) => request.operation !== 'unknown');
  const peakPerKey = [...callsBySellerAndOperation(calls).values()].map((times) => peakInWindow(times, 1000));
  // Each seller's wait: from its windows opening to its first order solicited (its last, for the table).
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const sent of simulator.solicitations) {
    const seller = simulator.order(sent.amazonOrderId)?.sellerId;
    if (seller === undefined || !ids.has(sent.amazonOrderId)) continue;
    const wait = (sent.at.getTime() - opensAt) / 1000;
    first.set(seller, Math.min(first.get(seller) ?? Infinity, wait));
    last.set(seller, Math.max(last.get(seller) ?? -Infinity, wait));
  }
  const allSent = round(Math.max(...last.values()), 1);
  const tasks = await workflowTasks(servers.client, [...ids]);
  progress(
    `  all solicited ${allSent} s after the windows opened; ${calls.length} SP-API calls; per seller, first order ` +
      `p50 ${round(percentile([...first.values()], 50), 1)} s, last order p99 ${round(percentile([...last.values()], 99), 1)} s`,
  );
  progress(`  worker CPU ${round(cpu, 1)} s over ${tasks} workflow tasks (activities included)`);
  const n = options.sellers;
  return {
    [`sellers_${n}_spapi_429_count`]: calls.filter((call) => call.status === 429).length,
    [`sellers_${n}_peak_calls_per_seller_second`]: Math.max(...peakPerKey),
    [`sellers_${n}_fairness_wait_p99_seconds`]: round(percentile([...first.values()], 99), 1),
    [`sellers_${n}_all_solicited_seconds`]: allSent,
    [`sellers_${n}_workflow_task_cpu_ms`]: round((cpu * 1000) / tasks, 1),
  };
}

async function memoryPair(
  servers: DevServer,
  cleanup: Cleanup,
  sizes: [number, number],
  progress: (line: string) => void,
): Promise<Figures> {
  const report = await workerMemory(servers, cleanup, sizes, progress);
  const [small, large] = report.rows;
  if (!small || !large) throw new Error('the memory pair measured fewer than two sizes');
  progress(`  worker RSS ${small.rssMb} MiB at ${small.waiting} waiting, ${large.rssMb} MiB at ${large.waiting}`);
  const k = (waiting: number) => `${waiting / 1000}k`;
  return {
    [`worker_rss_mb_${k(small.waiting)}_of_pair`]: small.rssMb,
    [`worker_rss_mb_${k(large.waiting)}`]: large.rssMb,
    [`worker_rss_ratio_${k(large.waiting)}_to_${k(small.waiting)}`]: round(large.rssMb / small.rssMb, 3),
  };
}

/**
 * Blocked orders are added, on a worker of their own that answers their status query as the product's
 * would, until they are `blockedShare` of every order on the server; then `solicit stats`, as a process,
 * for its time and peak memory, and the same counts in this process through a client whose visibility
 * calls are counted; then `solicit stats --by seller`, which reads every order.
 */
async function statsDuringIncident(
  servers: DevServer,
  options: ScaleOptions,
  progress: (line: string) => void,
): Promise<Figures> {
  const { client, temporalAddress } = servers;
  const others = (await client.workflow.count()).count;
  const blocked = Math.round((others * options.blockedShare) / (1 - options.blockedShare));
  const stubQueue = `bench-scale-blocked-${Date.now().toString(36)}`;
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await Worker.create({
    connection,
    taskQueue: stubQueue,
    workflowsPath: require.resolve('../test/fixtures/workflows/blocked-order-stub'),
  });
  const figures: Figures = {};
  try {
    await worker.runUntil(() => incident());
  } finally {
    await connection.close();
  }
  return figures;

  async function incident(): Promise<void> {
    const shippedAt = new Date(Date.now() - 3 * DAY).toISOString();
    let next = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        while (next < blocked) {
          const i = next++;
          const input: ReviewSolicitationInput = {
            amazonOrderId: `${stubQueue}-${i}`,
            marketplaceId: MARKETPLACE_ID,
            sellerId: sellerId('A8BLOCKED', i % options.blockedSellers),
            fulfillmentChannel: 'MFN',
            shippedAt,
            earliestDeliveryDate: shippedAt,
            latestDeliveryDate: shippedAt,
            policy: DEFAULT_POLICY,
          };
          await startOrder(client, stubQueue, input);
        }
      }),
    );
    await eventually(
      'the blocked orders in visibility',
      async () => (await client.workflow.count(`SolicitationPhase = 'blocked'`)).count,
      (count) => count === blocked,
      600_000,
    );
    const total = (await client.workflow.count()).count;
    const k = `${Math.round(total / 1000)}k`;
    progress(`  ${total} orders on the server, ${blocked} of them blocked, of ${options.blockedSellers} sellers`);

    const counting = await countingVisibilityClient(temporalAddress, 'default');
    try {
      const stats = await phaseStats(counting.client);
      if (stats.blocked.length === 0) throw new Error('stats listed no blocked seller');
    } finally {
      await counting.close();
    }
    const calls = counting.calls.countWorkflowExecutions + counting.calls.listWorkflowExecutions;
    const plain = await timedSolicit(['stats'], temporalAddress);
    const bySeller = await timedSolicit(['stats', '--by', 'seller'], temporalAddress);
    progress(`  solicit stats: ${plain.seconds} s, ${plain.peakMb} MiB; ${calls} visibility calls`);
    progress(`  solicit stats --by seller: ${bySeller.seconds} s, ${bySeller.peakMb} MiB; ${bySeller.note}`);
    Object.assign(figures, {
      [`stats_seconds_${k}_orders`]: plain.seconds,
      stats_visibility_calls: calls,
      [`stats_rss_mb_${k}_orders`]: plain.peakMb,
      [`stats_by_seller_seconds_${k}_orders`]: bySeller.seconds,
      [`stats_by_seller_rss_mb_${k}_orders`]: bySeller.peakMb,
    });
  }
}

/** A `solicit` command's wall time from spawn to exit and its peak resident memory (VmHWM, sampled every 5 ms). */
async function timedSolicit(
  args: string[],
  temporalAddress: string,
): Promise<{ seconds: number; peakMb: number; note: string }> {
  const began = performance.now();
  const run = spawnSolicit(args, { TEMPORAL_ADDRESS: temporalAddress });
  const pid = run.child.pid!;
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, statusMb(pid, 'VmHWM') ?? 0)), 5);
  const { code } = await run.exited;
  clearInterval(sampler);
  const seconds = (performance.now() - began) / 1000;
  if (code !== 0) throw new Error(`solicit ${args.join(' ')} exited ${code}: ${run.otherOutput.join(' | ')}`);
  return { seconds: round(seconds, 2), peakMb: round(peakMb, 1), note: run.otherOutput.join(' ') };
}
