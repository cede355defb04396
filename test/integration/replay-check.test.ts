import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../src/local/processes';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { addSellers, startOneSellerWorker, startOrders } from '../helpers/seller-fleet';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * docs/spec.md "Deploys": `solicit replay-check` replays the namespace's orders with the build's workflow
 * bundle. This build replays them; a build whose reviewSolicitation starts with a timer no history has
 * (test/fixtures/workflows/nondeterministic) is refused, each order named.
 */
describe('solicit replay-check', () => {
  let env: TestWorkflowEnvironment;
  let simulator: SpApiSimulator;
  let stopWorkers: (() => Promise<void>) | undefined;
  let otherBuild: string | undefined;
  const taskQueue = uniqueTaskQueue('replay-check');
  const waiting = `${taskQueue}-waiting`;
  const solicited = `${taskQueue}-solicited`;
  const filter = `TaskQueue = '${taskQueue}'`;

  beforeAll(async () => {
    ensureBuilt();
    env = await connectToDevServer();
    simulator = await startSpApiSimulator();
    const [seller] = addSellers(simulator, 'A3REPLAY', 1) as [string];
    const fleet = await startOneSellerWorker(simulator, seller, taskQueue);
    stopWorkers = fleet.stop;
    const now = Date.now();
    await startOrders(env.client, simulator, taskQueue, [{ amazonOrderId: solicited, sellerId: seller }], now);
    await startOrders(
      env.client,
      simulator,
      taskQueue,
      [{ amazonOrderId: waiting, sellerId: seller }],
      now + 10 * DAY_MS,
    );
    await eventually(
      'one order solicited and one waiting, in visibility',
      async () => [
        await env.client.workflow.count(
          `${filter} AND SolicitationPhase = 'solicited' AND ExecutionStatus = 'Completed'`,
        ),
        await env.client.workflow.count(`${filter} AND SolicitationPhase = 'waiting' AND ExecutionStatus = 'Running'`),
      ],
      ([closed, running]) => closed?.count === 1 && running?.count === 1,
      60_000,
    );
  });

  afterAll(async () => {
    await stopWorkers?.();
    await simulator?.close();
    await env?.teardown();
    if (otherBuild) rmSync(otherBuild, { recursive: true, force: true });
  });

  it("passes this build: every sampled order replays with the build's bundle", async () => {
    const run = await replayCheck(PROJECT_ROOT, ['--query', filter]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe("2 orders (1 running, 1 closed) replay with this build's workflow code\n");
  });

  it('refuses a non-deterministic build, naming each order that does not replay', async () => {
    otherBuild = await nonDeterministicBuild();
    const run = await replayCheck(otherBuild, ['--query', filter, '--sample', '5']);
    expect(run.code).toBe(1);
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ORDER\s+PHASE\s+WHY$/);
    expect(rows.slice(1).map((row) => row.split(/\s+/).slice(0, 2))).toEqual(
      expect.arrayContaining([
        [waiting, 'waiting'],
        [solicited, 'solicited'],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(run.stdout).toMatch(/[Nn]ondeterminism/);
    expect(run.stderr).toBe(
      "solicit replay-check: 2 of 2 orders (1 running, 1 closed) do not replay with this build's workflow code: do not deploy it\n",
    );
  });

  it('refuses bad usage with exit code 2 and one line', async () => {
    const badSample = await replayCheck(PROJECT_ROOT, ['--sample', '0']);
    expect(badSample).toMatchObject({ code: 2, stdout: '' });
    expect(badSample.stderr).toBe('solicit replay-check: --sample must be a whole number of orders from 1 to 1000\n');
    const escaping = await replayCheck(PROJECT_ROOT, ['--query', `${filter}) OR (WorkflowType = 'other'`]);
    expect(escaping).toMatchObject({ code: 2, stdout: '' });
    expect(escaping.stderr).toMatch(/^solicit replay-check: bad list filter: .*\n$/);
  });
});

/** `bin/solicit replay-check` of the build in `root`, against the run's Temporal server. */
async function replayCheck(root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { temporalAddress, temporalNamespace } = runServers();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin', 'solicit'), 'replay-check', ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A copy of this build whose workflow bundle holds the non-deterministic workflows: what a bad deploy would ship. */
async function nonDeterministicBuild(): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'review-solicitations-bad-build-'));
  cpSync(path.join(PROJECT_ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../fixtures/workflows/nondeterministic'),
    logger: new DefaultLogger('WARN'),
  });
  writeFileSync(path.join(root, 'dist', 'workflow-bundle.js'), code);
  return root;
}
