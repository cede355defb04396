import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SIMULATOR_SELLER_ID, startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt, spawnSolicit } from '../helpers/cli';
import { DAY } from '../helpers/clock';
import { MARKETPLACE } from '../helpers/spapi';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/** `solicit subscribe` and `solicit backfill` as an operator runs them: output and exit codes. */

const CANADA = 'A2EUQ1WTGCTBG2';
const ARN = 'arn:aws:sqs:us-east-1:123456789012:order-change';
const { temporalAddress, temporalNamespace } = runServers();
let env: TestWorkflowEnvironment;
let client: Client;
let sim: SpApiSimulator;

beforeAll(async () => {
  ensureBuilt();
  env = await connectToDevServer();
  client = env.client;
});
beforeEach(async () => {
  sim = await startSpApiSimulator();
});
afterEach(() => sim.close());
afterAll(async () => {
  await env?.teardown();
});

async function solicit(args: string[], extra: Record<string, string> = {}) {
  const run = spawnSolicit(args, { ...sim.env(), ...extra });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.otherOutput };
}

it("subscribe sets the subscription up once and prints the queue policy for Amazon's account", async () => {
  const first = await solicit(['subscribe', '--sqs-arn', ARN]);
  expect(first).toMatchObject({ code: 0, stderr: [] });
  expect(first.stdout).toMatch(/^destination .* for arn:aws:sqs:us-east-1:123456789012:order-change: created$/m);
  expect(first.stdout).toMatch(/^ORDER_CHANGE subscription for the seller of LWA_REFRESH_TOKEN: .* created$/m);
  const policy = JSON.parse(first.stdout.slice(first.stdout.indexOf('\n{') + 1)) as {
    Statement: { Effect: string; Principal: { AWS: string }; Action: string[]; Resource: string }[];
  };
  expect(policy.Statement).toEqual([
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::437568002678:root' },
      Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
      Resource: ARN,
    }),
  ]);

  const second = await solicit(['subscribe', '--sqs-arn', ARN]);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('Nothing changed');
  expect(second.stdout).toContain('437568002678');
  expect(sim.destinations()).toHaveLength(1);
  expect(sim.subscriptions()).toHaveLength(1);
});

it('backfill starts the shipped orders and prints the summary as JSON', async () => {
  const taskQueue = uniqueTaskQueue('backfill-cli');
  const amazonOrderId = `backfill-cli-${Date.now().toString(36)}-${process.pid}`;
  const now = Date.now();
  sim.addOrder({
    amazonOrderId,
    marketplaceId: MARKETPLACE,
    earliestDeliveryDate: new Date(now + DAY),
    latestDeliveryDate: new Date(now + 3 * DAY),
  });
  const temporal = { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace, TASK_QUEUE: taskQueue };

  const run = await solicit(['backfill', '--seller', SIMULATOR_SELLER_ID, '--json'], temporal);
  expect(run).toMatchObject({ code: 0, stderr: [] });
  expect(JSON.parse(run.stdout)).toMatchObject({ found: 1, started: 1, alreadyKnown: 0, skipped: 0 });
  const description = await client.workflow.getHandle(amazonOrderId).describe();
  expect(description).toMatchObject({ type: 'reviewSolicitation', taskQueue, status: { name: 'RUNNING' } });
});

it('backfill skips the orders of marketplaces not served, and refuses a --marketplace not served', async () => {
  const taskQueue = uniqueTaskQueue('backfill-markets');
  const stamp = `${Date.now().toString(36)}-${process.pid}`;
  const now = Date.now();
  const dates = { earliestDeliveryDate: new Date(now + DAY), latestDeliveryDate: new Date(now + 3 * DAY) };
  const served = `backfill-served-${stamp}`;
  const canadian = `backfill-canadian-${stamp}`;
  sim.addOrder({ amazonOrderId: served, marketplaceId: MARKETPLACE, ...dates });
  sim.addOrder({ amazonOrderId: canadian, marketplaceId: CANADA, ...dates });
  const settings = {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
    SOLICIT_MARKETPLACES: MARKETPLACE,
  };

  const run = await solicit(['backfill', '--seller', SIMULATOR_SELLER_ID], settings);
  // Not a terminal: a line per seller once it is done.
  expect(run).toMatchObject({
    code: 0,
    stderr: [`seller ${SIMULATOR_SELLER_ID}: 1 pages, 2 found, 1 started, 0 already known, 1 skipped`],
  });
  expect(run.stdout).toMatch(/^ {2}started +1$/m);
  expect(run.stdout).toMatch(/^ {2}skipped +1$/m);
  expect(run.stdout).toContain(`    marketplace not served (1): ${canadian}\n`);
  expect(await client.workflow.getHandle(served).describe()).toMatchObject({ type: 'reviewSolicitation' });
  await expect(client.workflow.getHandle(canadian).describe()).rejects.toThrow();

  const searches = sim.requests.length;
  const refused = await solicit(['backfill', '--seller', SIMULATOR_SELLER_ID, '--marketplace', CANADA], settings);
  expect(refused).toMatchObject({
    code: 2,
    stdout: '',
    stderr: [`solicit backfill: --marketplace ${CANADA} is not a marketplace served (see SOLICIT_MARKETPLACES)`],
  });
  expect(sim.requests).toHaveLength(searches);
  await client.workflow.getHandle(served).terminate();
});

it('refuses bad arguments with exit code 2 and one line saying what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['subscribe'], /^solicit subscribe: --sqs-arn is required/],
    [['subscribe', '--sqs-arn', 'https://sqs.us-east-1.amazonaws.com/123456789012/q'], /must be an SQS queue ARN/],
    [['backfill', '--seller', 'A1', '--days', '0'], /^solicit backfill: --days must be a whole number/],
    [['backfill', '--seller', 'A1', '--marketplace', 'XX'], /unknown marketplace ID 'XX'/],
    [['backfill'], /--seller is required with LWA_REFRESH_TOKEN/],
    [['backfill', '--bogus'], /^solicit backfill: Unknown option '--bogus' \(see 'solicit backfill --help'\)$/],
  ];
  const runs = await Promise.all(cases.map(([args]) => solicit(args)));
  runs.forEach((run, i) => {
    expect({ args: cases[i]![0], code: run.code, lines: run.stderr.length }).toEqual({
      args: cases[i]![0],
      code: 2,
      lines: 1,
    });
    expect(run.stderr[0]).toMatch(cases[i]![1]);
  });
  expect(sim.requests).toEqual([]);
});
