import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../src/domain/contract';
import { formatInstant } from '../../src/domain/web-ui';
import { solicitationWindow } from '../../src/domain/window';
import { createLogger } from '../../src/logging';
import { startOrder } from '../../src/orders/start';
import { runSolicitationWorkers } from '../../src/workers/worker';
import { ensureBuilt } from '../helpers/cli';
import { runSolicit } from '../helpers/run-solicit';
import { DAY, FakeSolicitations } from '../helpers/solicitation-harness';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * `solicit expedite <orderId>` as a process against the run's Temporal dev server, with this file's own
 * workers (SP-API faked) running the orders: it says what the check it asked for found.
 */

const { temporalAddress, temporalNamespace } = runServers();
const solicit = (...args: string[]) =>
  runSolicit(args, { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace });

let env: TestWorkflowEnvironment;
let client: Client;
let workers: Promise<void>;
const fake = new FakeSolicitations();
const taskQueue = uniqueTaskQueue('expedite-cli');
const stop = new AbortController();

beforeAll(async () => {
  ensureBuilt();
  env = await connectToDevServer();
  client = env.client;
  workers = runSolicitationWorkers({
    connection: env.nativeConnection,
    namespace: temporalNamespace,
    taskQueue,
    solicitations: fake,
    logger: createLogger('error'),
    maxSpApiRequestsPerSecond: 1000,
    signal: stop.signal,
  });
});
afterAll(async () => {
  stop.abort();
  await workers;
  await env?.teardown();
});

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

/** A seller-fulfilled order whose window opens in three days; whole seconds. */
async function waitingOrder(): Promise<ReviewSolicitationInput> {
  const earliest = Math.floor((Date.now() + 3 * DAY - 5 * DAY) / 1000) * 1000;
  const input: ReviewSolicitationInput = {
    amazonOrderId: `904-${digits(7)}-${digits(7)}`,
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: 'AEXPEDITECLI',
    fulfillmentChannel: 'MFN',
    shippedAt: new Date(earliest - 2 * DAY).toISOString(),
    earliestDeliveryDate: new Date(earliest).toISOString(),
    latestDeliveryDate: new Date(earliest + 2 * DAY).toISOString(),
    policy: DEFAULT_POLICY,
  };
  await startOrder(client, taskQueue, input);
  return input;
}

it('prints that Amazon did not offer the action, and when the order checks next', async () => {
  const input = await waitingOrder();
  fake.script(input.amazonOrderId, { check: () => [] });
  const run = await solicit('expedite', input.amazonOrderId);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const window = solicitationWindow(input, DEFAULT_POLICY);
  expect(run.stdout).toBe(
    `expedite sent to order ${input.amazonOrderId}\n` +
      `checked: waiting: Amazon did not offer the action (check 1); next check on ${formatInstant(window.solicitAfter)}; ` +
      `the window closes on ${formatInstant(window.solicitBefore)}.\n`,
  );
});

it('prints that the order was solicited when Amazon offered the action', async () => {
  const input = await waitingOrder();
  const run = await solicit('expedite', input.amazonOrderId);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(
    new RegExp(
      `^expedite sent to order ${input.amazonOrderId}\nended: solicited at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\n$`,
    ),
  );
});
