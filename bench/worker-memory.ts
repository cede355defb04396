import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY, WORKFLOW_TYPE, type ReviewSolicitationInput } from '../src/domain/contract';
import { startSpApiSimulator } from '../src/simulator';
import { workflowStartSummary } from '../src/domain/web-ui';
import { spawnSolicit } from '../test/helpers/cli';
import { eventually } from '../test/helpers/eventually';
import type { Cleanup } from './cleanup';
import type { DevServer } from './servers';
import { round } from './stats';

const DAY = 24 * 60 * 60 * 1000;
/** Client calls in flight while starting orders. */
const CONCURRENCY = 40;

export interface MemoryRow {
  waiting: number;
  /** Once every waiting order has had its first workflow task on the worker. */
  rssMb: number;
  /** The most seen while getting there, sampled every 250 ms. */
  peakMb: number;
  /** From the previous row (or the worker's start) to this one. */
  seconds: number;
}

export interface MemoryReport {
  idleMb: number;
  rows: MemoryRow[];
}

/**
 * One `solicit worker` process, and more and more orders whose windows open in a year: the process's
 * resident memory each time every order started so far has run its first workflow task on this worker.
 */
export async function workerMemory(
  servers: DevServer,
  cleanup: Cleanup,
  sizes: number[],
  progress: (line: string) => void,
): Promise<MemoryReport> {
  const simulator = await startSpApiSimulator();
  cleanup.add(() => simulator.close());
  const taskQueue = `bench-memory-${Date.now().toString(36)}`;
  const worker = spawnSolicit(['worker'], {
    ...simulator.env(),
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TASK_QUEUE: taskQueue,
  });
  cleanup.add(() => worker.child.kill('SIGKILL'));
  await worker.waitForLogs((line) => line.message === 'workers started', 1, 60_000);
  const pid = worker.child.pid!;
  const idleMb = rssMb(pid);

  const farAway = Date.now() + 365 * DAY;
  const rows: MemoryRow[] = [];
  let started = 0;
  let peakMb = idleMb;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 250);
  cleanup.add(() => clearInterval(sampler));
  for (const size of sizes) {
    const began = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (started < size) {
          const input = futureOrder(taskQueue, started++, farAway);
          await servers.client.workflow.start(WORKFLOW_TYPE, {
            taskQueue,
            workflowId: input.amazonOrderId,
            args: [input],
            ...workflowStartSummary(input),
          });
        }
      }),
    );
    progress(`  ${size} orders started`);
    // Started without search attributes, an order gets its phase from its first workflow task: the orders
    // that have one are the orders this worker has run.
    await eventually(
      `${size} orders waiting`,
      () => servers.client.workflow.count(`TaskQueue = "${taskQueue}" AND SolicitationPhase = "waiting"`),
      (result) => result.count === size,
      600_000,
    );
    const rss = rssMb(pid);
    rows.push({
      waiting: size,
      rssMb: round(rss, 1),
      peakMb: round(Math.max(peakMb, rss), 1),
      seconds: round((Date.now() - began) / 1000, 1),
    });
  }
  clearInterval(sampler);
  worker.child.kill('SIGTERM');
  await worker.exited;
  return { idleMb: round(idleMb, 1), rows };
}

function futureOrder(taskQueue: string, index: number, earliestDelivery: number): ReviewSolicitationInput {
  return {
    amazonOrderId: `${taskQueue}-${index}`,
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: 'A1SIMULATEDSELLER',
    fulfillmentChannel: 'MFN',
    shippedAt: new Date(earliestDelivery - 2 * DAY).toISOString(),
    earliestDeliveryDate: new Date(earliestDelivery).toISOString(),
    latestDeliveryDate: new Date(earliestDelivery + 3 * DAY).toISOString(),
    policy: DEFAULT_POLICY,
  };
}

/** VmRSS of a live process, in MiB. */
function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) / 1024;
}
