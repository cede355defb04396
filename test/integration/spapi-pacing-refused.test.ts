import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { startRefusingGrpcProxy } from '../helpers/refusing-grpc-proxy';
import { uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * `solicit worker` against a server that refuses the SP-API task queue's configuration (PermissionDenied,
 * as Temporal Cloud answers an API key without the role): the whole-queue fallback for one seller, a
 * refusal to start for several, unless SPAPI_PACING=queue.
 */
const { temporalAddress, temporalNamespace } = runServers();
const ANSWER = 'Request unauthorized.';
let sim: SpApiSimulator;
let proxy: Awaited<ReturnType<typeof startRefusingGrpcProxy>>;
let dir: string;
let worker: SolicitProcess | undefined;

beforeAll(async () => {
  ensureBuilt();
  sim = await startSpApiSimulator({ sellers: { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' } });
  proxy = await startRefusingGrpcProxy({
    target: temporalAddress,
    refuse: ['DescribeTaskQueue', 'UpdateTaskQueueConfig'],
    code: 7,
    message: ANSWER,
  });
  dir = mkdtempSync(path.join(tmpdir(), 'pacing-refused-'));
});
afterEach(async () => {
  worker?.child.kill('SIGKILL');
  await worker?.exited;
  worker = undefined;
});
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(env: Record<string, string>): SolicitProcess {
  const { LWA_REFRESH_TOKEN: _single, ...simulatorEnv } = sim.env();
  return spawnSolicit(['worker'], {
    ...simulatorEnv,
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: uniqueTaskQueue('pacing-refused'),
    ...env,
  });
}

function sellersFile(): string {
  const file = path.join(dir, 'sellers.json');
  writeFileSync(file, JSON.stringify({ A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' }));
  return file;
}

it('refuses to start with several sellers: exit 1, one line naming the server answer', async () => {
  worker = startWorker({ SPAPI_SELLERS_FILE: sellersFile() });
  expect(await worker.exited).toEqual({ code: 1, signal: null });
  expect(worker.otherOutput).toEqual([
    expect.stringMatching(
      /^solicit worker: the server refused per-seller SP-API pacing \(Request unauthorized\.\): .*SPAPI_PACING=queue/,
    ),
  ]);
  expect(proxy.refused).toContain('DescribeTaskQueue');
});

it('accepts one shared limit for several sellers with SPAPI_PACING=queue, and says so', async () => {
  worker = startWorker({ SPAPI_SELLERS_FILE: sellersFile(), SPAPI_PACING: 'queue' });
  await worker.waitForLogs((line) => line.message === 'workers started', 1, 60_000);
  const warnings = worker.logs.filter((line) => line.level === 'warn' && line.message.includes('per-seller pacing'));
  // Once per paced queue: the Solicitations calls' and searchOrders'.
  expect(warnings).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/-spapi: .*refused per-seller pacing \(Request unauthorized\.\)/) as unknown,
    }),
    expect.objectContaining({
      message: expect.stringMatching(
        /-spapi-orders: .*refused per-seller pacing \(Request unauthorized\.\)/,
      ) as unknown,
    }),
  ]);
  expect(worker.logs.find((line) => line.message === 'workers started')).toMatchObject({
    maxSpApiRequestsPerSecond: 1,
  });
});

it('falls back to one limit for the whole queue with one seller, without SPAPI_PACING', async () => {
  worker = startWorker({ LWA_REFRESH_TOKEN: 'Atzr|one' });
  await worker.waitForLogs((line) => line.message === 'workers started', 1, 60_000);
  expect(worker.logs.filter((line) => line.level === 'warn')).toEqual([
    expect.objectContaining({
      message: expect.stringContaining('falling back to one limit of 1 request/s') as unknown,
    }),
    expect.objectContaining({
      message: expect.stringContaining('falling back to one limit of 0.0056 request/s') as unknown,
    }),
  ]);
});
