import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReconcileRunResult } from '../../src/reconcile/workflow/contract';
import { guardedToolPath } from '../../src/local/processes';
import { withReconcileWorkers } from '../helpers/reconcile-harness';
import { sellersOf } from '../helpers/spapi';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { runSolicit } from '../helpers/run-solicit';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * `solicit setup` as a process against a namespace of its own on the real dev server: one that has none of
 * the product's search attributes and no schedule yet, as a fresh production namespace.
 */

const NAMESPACE = `setup-${Date.now().toString(36)}-${process.pid}`;
const TASK_QUEUE = uniqueTaskQueue('setup');
let env: TestWorkflowEnvironment;
let client: Client;

beforeAll(async () => {
  ensureBuilt();
  env = await connectToDevServer();
  await promisify(execFile)(guardedToolPath('temporal'), [
    ...['operator', 'namespace', 'create', '--namespace', NAMESPACE],
    ...['--retention', '24h', '--address', runServers().temporalAddress],
  ]);
  client = new Client({ connection: env.connection, namespace: NAMESPACE });
  // A new namespace reaches every service of the server after a moment.
  await eventually(
    `namespace ${NAMESPACE}`,
    () =>
      env.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE }).then(
        () => true,
        () => false,
      ),
    (ready) => ready,
  );
});
afterAll(async () => {
  await env?.teardown();
});

function setup(settings: Record<string, string> = {}) {
  return runSolicit(['setup'], {
    TEMPORAL_ADDRESS: runServers().temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TASK_QUEUE,
    ...settings,
  });
}

const describeSchedule = () => client.schedule.getHandle('reconcile-orders').describe();

it('registers the search attributes and creates reconcile-orders; a second run changes nothing', async () => {
  const first = await setup();
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(
    'search attributes: registered SolicitationPhase, SolicitAfter, SolicitBefore, AmazonMarketplaceId, AmazonSellerId',
  );
  expect(first.stdout).toContain('schedule reconcile-orders: created, every 24 hours, orders of the last 3 days');
  expect(first.stdout).toContain(
    `SP-API task queue ${TASK_QUEUE}-spapi-orders: each seller and operation limited to 0.0056 request/s by the server`,
  );
  const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
  expect(Object.keys(customAttributes)).toEqual(
    expect.arrayContaining([
      'SolicitationPhase',
      'SolicitAfter',
      'SolicitBefore',
      'AmazonMarketplaceId',
      'AmazonSellerId',
    ]),
  );
  const created = await describeSchedule();
  expect(created.spec.intervals).toEqual([{ every: 24 * 60 * 60 * 1000 }]);
  expect(created.action).toMatchObject({ workflowType: 'reconcileOrders', taskQueue: TASK_QUEUE, args: [{ days: 3 }] });
  expect(created.policies.overlap).toBe('SKIP');

  const second = await setup();
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('(already registered)');
  expect(second.stdout).toContain('schedule reconcile-orders: every 24 hours, orders of the last 3 days (already so)');
  const after = await describeSchedule();
  expect(after.info.lastUpdatedAt).toEqual(created.info.lastUpdatedAt);
  expect(after.raw.conflictToken).toEqual(created.raw.conflictToken);
});

it('runs reconcileOrders on the workers when the schedule fires', async () => {
  await setup();
  const workers = {
    connection: env.nativeConnection,
    client,
    namespace: NAMESPACE,
    taskQueue: TASK_QUEUE,
    orders: { searchOrders: () => Promise.resolve({ orders: [] }) },
    sellers: sellersOf({ A1SETUPSELLER: { refreshToken: 'refresh-setup', marketplaces: ['ATVPDKIKX0DER'] } }),
  };
  const result = await withReconcileWorkers(workers, async () => {
    await client.schedule.getHandle('reconcile-orders').trigger();
    const fired = await eventually(
      'a run of reconcile-orders',
      describeSchedule,
      (description) => description.info.recentActions.length > 0,
    );
    const { workflowId } = fired.info.recentActions.at(-1)!.action.workflow;
    expect(workflowId).toMatch(/^reconcile-orders-/);
    return client.workflow.getHandle(workflowId).result() as Promise<ReconcileRunResult>;
  });
  expect(result).toMatchObject({ days: 3, sellers: 1, regions: 1, totals: { found: 0, started: 0 }, failures: 0 });
});

it('updates the schedule to RECONCILE_INTERVAL and RECONCILE_DAYS; off removes it', async () => {
  const changed = await setup({ RECONCILE_INTERVAL: '6h', RECONCILE_DAYS: '5' });
  expect(changed.code).toBe(0);
  expect(changed.stdout).toContain('schedule reconcile-orders: updated, every 6h, orders of the last 5 days');
  const updated = await describeSchedule();
  expect(updated.spec.intervals).toEqual([{ every: 6 * 60 * 60 * 1000 }]);
  expect(updated.action).toMatchObject({ args: [{ days: 5 }] });

  const off = await setup({ RECONCILE_INTERVAL: 'off' });
  expect(off.code).toBe(0);
  expect(off.stdout).toContain('schedule reconcile-orders: removed (RECONCILE_INTERVAL=off)');
  await expect(describeSchedule()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  const offAgain = await setup({ RECONCILE_INTERVAL: 'off' });
  expect(offAgain.stdout).toContain('schedule reconcile-orders: none (RECONCILE_INTERVAL=off)');
});

it('refuses a bad setting with one line naming it, exit 2, and changes nothing', async () => {
  const bad = await setup({ RECONCILE_INTERVAL: 'sometimes' });
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^solicit setup: RECONCILE_INTERVAL: must be a duration/),
  ]);
});

it("warns when the namespace keeps closed workflows less than an order's window", async () => {
  const result = await setup();
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^retention: WARNING 1 days, under 45: .*--retention 45d/m);
});

it('refuses to move a schedule that runs on another task queue unless --force', async () => {
  await setup();
  const before = await describeSchedule();
  const trial = await runSolicit(['setup'], {
    TEMPORAL_ADDRESS: runServers().temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TASK_QUEUE: `${TASK_QUEUE}-trial`,
  });
  expect(trial.code).toBe(2);
  expect(trial.stderr.trim().split('\n')).toEqual([
    `solicit setup: schedule reconcile-orders runs on task queue ${TASK_QUEUE}, not ${TASK_QUEUE}-trial: ` +
      'another deployment may use this namespace; to move it here, run setup with --force',
  ]);
  const after = await describeSchedule();
  expect(after.action).toMatchObject({ taskQueue: TASK_QUEUE });
  expect(after.raw.conflictToken).toEqual(before.raw.conflictToken);

  const forced = await runSolicit(['setup', '--force'], {
    TEMPORAL_ADDRESS: runServers().temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TASK_QUEUE: `${TASK_QUEUE}-trial`,
  });
  expect(forced.code).toBe(0);
  expect((await describeSchedule()).action).toMatchObject({ taskQueue: `${TASK_QUEUE}-trial` });
  expect((await setup()).code).toBe(2);
  expect(
    (
      await runSolicit(['setup', '--force'], {
        TEMPORAL_ADDRESS: runServers().temporalAddress,
        TEMPORAL_NAMESPACE: NAMESPACE,
        TASK_QUEUE,
      })
    ).code,
  ).toBe(0);
});
