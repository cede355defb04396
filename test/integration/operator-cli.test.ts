import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DEFAULT_POLICY,
  cancelSignal,
  searchAttributes,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
} from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { freePort } from '../../src/local/processes';
import { createLogger } from '../../src/logging';
import { runSolicitationWorkers } from '../../src/workers/worker';
import { reviewSolicitation } from '../../src/workflows';
import { formatInstant } from '../../src/domain/web-ui';
import { solicitationWindow } from '../../src/domain/window';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { runSolicit, type SolicitRun } from '../helpers/run-solicit';
import { DAY, FakeSolicitations, iso } from '../helpers/solicitation-harness';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * The operator commands as processes against the run's Temporal dev server, with this file's own workers
 * (SP-API faked) running the orders. Every order has a seller ID of its test's own, and every list, count
 * and batch filters on it, because other test files share the server.
 */

const { temporalAddress, temporalNamespace } = runServers();
const solicit = (...args: string[]) =>
  runSolicit(args, { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace });

let env: TestWorkflowEnvironment;
let client: Client;
let workers: Promise<void>;
const fake = new FakeSolicitations();
const taskQueue = uniqueTaskQueue('operator-cli');
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

const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
let sellers = 0;
function newSeller(): string {
  sellers += 1;
  return `AOPS${stamp}X${sellers}`;
}

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

/** A seller-fulfilled order whose window opens `opensIn` from now (negative: already open); whole seconds. */
function order(sellerId: string, opensIn: number): ReviewSolicitationInput {
  const earliest = Math.floor((Date.now() + opensIn - 5 * DAY) / 1000) * 1000;
  return {
    amazonOrderId: `903-${digits(7)}-${digits(7)}`,
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId,
    fulfillmentChannel: 'MFN',
    shippedAt: iso(earliest - 2 * DAY),
    earliestDeliveryDate: iso(earliest),
    latestDeliveryDate: iso(earliest + 2 * DAY),
    policy: DEFAULT_POLICY,
  };
}

/** Started the way ingest starts orders. */
async function started(...inputs: ReviewSolicitationInput[]): Promise<string[]> {
  for (const input of inputs) await startOrder(client, taskQueue, input);
  return inputs.map((input) => input.amazonOrderId);
}

const result = (orderId: string) => client.workflow.getHandle(orderId).result() as Promise<ReviewSolicitationResult>;

/** Visibility is eventually consistent: waits until the seller's orders are in these phases. */
async function visible(sellerId: string, phases: Record<string, number>): Promise<void> {
  for (const [phase, expected] of Object.entries(phases)) {
    await eventually(
      `${sellerId}'s orders in phase ${phase}`,
      async () =>
        (await client.workflow.count(`AmazonSellerId = '${sellerId}' AND SolicitationPhase = '${phase}'`)).count,
      (count) => count === expected,
    );
  }
}

function oneErrorLine(run: SolicitRun, code: number, line: string | RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  expect(run.stderr.split('\n')).toEqual([typeof line === 'string' ? line : expect.stringMatching(line), '']);
}

describe('solicit status', () => {
  it("shows a running order's status query, a closed order's result, and refuses an unknown order", async () => {
    const sellerId = newSeller();
    const waitingInput = order(sellerId, 3 * DAY);
    const [waiting, solicited] = await started(waitingInput, order(sellerId, -DAY));
    await result(solicited!);
    const window = solicitationWindow(waitingInput, DEFAULT_POLICY);

    const [waitingJson, waitingText, solicitedJson, solicitedText, unknown] = await Promise.all([
      solicit('status', waiting!, '--json'),
      solicit('status', waiting!),
      solicit('status', solicited!, '--json'),
      solicit('status', solicited!),
      solicit('status', '903-0000000-0000000'),
    ]);

    expect(waitingJson.code).toBe(0);
    expect(JSON.parse(waitingJson.stdout)).toEqual({
      amazonOrderId: waiting,
      phase: 'waiting',
      solicitAfter: iso(window.solicitAfter),
      solicitBefore: iso(window.solicitBefore),
      windowEstimated: false,
      checks: 0,
      nextCheckAt: iso(window.solicitAfter),
      workflowStatus: 'RUNNING',
    });
    expect(waitingText.code).toBe(0);
    expect(waitingText.stdout).toMatch(/^phase +waiting$/m);
    expect(waitingText.stdout).toMatch(new RegExp(`^window opens +${formatInstant(window.solicitAfter)}$`, 'm'));
    expect(waitingText.stdout).toMatch(/^details +Waiting for Amazon's window to open on /m);

    expect(solicitedJson.code).toBe(0);
    const closed = JSON.parse(solicitedJson.stdout) as Record<string, unknown>;
    expect(closed).toMatchObject({ amazonOrderId: solicited, phase: 'solicited', checks: 1 });
    expect(closed.workflowStatus).toBe('COMPLETED');
    expect(closed.result).toEqual({
      amazonOrderId: solicited,
      outcome: 'solicited',
      checks: 1,
      solicitedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(solicitedText.stdout).toMatch(/^outcome +solicited$/m);

    oneErrorLine(unknown, 2, `solicit status: no order 903-0000000-0000000 in namespace ${temporalNamespace}`);
  });
});

describe('solicit list and stats', () => {
  it('lists the orders of a phase, for people and for machines', async () => {
    const sellerId = newSeller();
    const waitingInput = order(sellerId, 3 * DAY);
    const [waiting, solicited] = await started(waitingInput, order(sellerId, -DAY));
    await result(solicited!);
    await visible(sellerId, { waiting: 1, solicited: 1 });
    const filter = `AmazonSellerId = '${sellerId}'`;
    const window = solicitationWindow(waitingInput, DEFAULT_POLICY);

    const [json, text, all, badPhase] = await Promise.all([
      solicit('list', '--phase', 'waiting', '--query', filter, '--json'),
      solicit('list', '--phase', 'waiting', '--query', filter),
      solicit('list', '--query', filter, '--json'),
      solicit('list', '--phase', 'sent'),
    ]);

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        amazonOrderId: waiting,
        phase: 'waiting',
        solicitAfter: iso(window.solicitAfter),
        solicitBefore: iso(window.solicitBefore),
        marketplaceId: 'ATVPDKIKX0DER',
        sellerId,
        workflowStatus: 'RUNNING',
      },
    ]);
    expect(text.stdout.split('\n')).toEqual([
      'ORDER                PHASE    WINDOW OPENS          WINDOW CLOSES         MARKETPLACE    SELLER',
      [waiting, 'waiting', formatInstant(window.solicitAfter), formatInstant(window.solicitBefore)]
        .concat(['ATVPDKIKX0DER', sellerId])
        .join('  '),
      '',
    ]);
    const everyPhase = JSON.parse(all.stdout) as { amazonOrderId: string; phase: string }[];
    expect(everyPhase.map(({ amazonOrderId, phase }) => [amazonOrderId, phase]).sort()).toEqual(
      [
        [waiting, 'waiting'],
        [solicited, 'solicited'],
      ].sort(),
    );
    oneErrorLine(
      badPhase,
      2,
      "solicit list: unknown phase 'sent' (one of waiting, checking, blocked, solicited, already-solicited, expired, cancelled, failed, dry-run)",
    );
  });

  it('counts orders per phase', async () => {
    const sellerId = newSeller();
    const [, , solicited, cancelled] = await started(
      order(sellerId, 3 * DAY),
      order(sellerId, 4 * DAY),
      order(sellerId, -DAY),
      order(sellerId, 3 * DAY),
    );
    await client.workflow.getHandle(cancelled!).signal(cancelSignal, { reason: 'test' });
    await Promise.all([result(solicited!), result(cancelled!)]);
    await visible(sellerId, { waiting: 2, solicited: 1, cancelled: 1 });

    const [json, text] = await Promise.all([
      solicit('stats', '--query', `AmazonSellerId = '${sellerId}'`, '--json'),
      solicit('stats', '--query', `AmazonSellerId = '${sellerId}'`),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      phases: {
        waiting: 2,
        checking: 0,
        blocked: 0,
        solicited: 1,
        'already-solicited': 0,
        expired: 0,
        cancelled: 1,
        failed: 0,
        'dry-run': 0,
      },
      total: 4,
    });
    expect(text.stdout).toMatch(/^PHASE {14}ORDERS\nwaiting {12}2\n/);
    expect(text.stdout).toMatch(/^total {14}4$/m);
  });
});

describe('solicit stats --since', () => {
  it('counts the orders that ended in the period, per outcome, leaving out running ones', async () => {
    const sellerId = newSeller();
    const [, solicited, cancelled] = await started(
      order(sellerId, 3 * DAY),
      order(sellerId, -DAY),
      order(sellerId, 3 * DAY),
    );
    await client.workflow.getHandle(cancelled!).signal(cancelSignal, { reason: 'test' });
    await Promise.all([result(solicited!), result(cancelled!)]);
    await visible(sellerId, { waiting: 1, solicited: 1, cancelled: 1 });

    const filter = `AmazonSellerId = '${sellerId}'`;
    const before = Date.now();
    const [json, text, badPeriod] = await Promise.all([
      solicit('stats', '--since', '1d', '--query', filter, '--json'),
      solicit('stats', '--since', '30d', '--query', filter),
      solicit('stats', '--since', '30'),
    ]);
    expect(json.code).toBe(0);
    const stats = JSON.parse(json.stdout) as { since: string; outcomes: Record<string, number>; total: number };
    expect(stats.outcomes).toMatchObject({ solicited: 1, cancelled: 1, expired: 0, failed: 0 });
    expect(stats.total).toBe(2);
    expect(Math.abs(Date.parse(stats.since) - (before - DAY))).toBeLessThan(60_000);
    expect(text.stdout).toMatch(/^solicited {10}1$/m);
    expect(text.stdout).toMatch(/^total {14}2$/m);
    oneErrorLine(
      badPeriod,
      2,
      "solicit stats: --since must be a period such as 12h, 30d or 2w (at most 3650d), got '30'",
    );
  });
});

describe('solicit cancel and expedite, one order', () => {
  it('cancels an order with the reason given, and refuses one that has ended', async () => {
    const [orderId] = await started(order(newSeller(), 3 * DAY));
    const sent = await solicit('cancel', orderId!, '--reason', 'customer asked us not to');
    expect(sent).toMatchObject({ code: 0, stdout: `cancel sent to order ${orderId}\n`, stderr: '' });
    expect(await result(orderId!)).toEqual({
      amazonOrderId: orderId,
      outcome: 'cancelled',
      checks: 0,
      reason: 'customer asked us not to',
    });
    oneErrorLine(
      await solicit('cancel', orderId!),
      2,
      `solicit cancel: order ${orderId} has already ended (cancelled)`,
    );
  });

  it('expedites an order: it checks eligibility now, before its window opens', async () => {
    const input = order(newSeller(), 3 * DAY);
    const [orderId] = await started(input);
    const sent = await solicit('expedite', orderId!);
    expect(sent).toMatchObject({ code: 0, stdout: `expedite sent to order ${orderId}\n`, stderr: '' });
    expect(await result(orderId!)).toMatchObject({ outcome: 'solicited', checks: 1 });
    const [check] = fake.callsFor(orderId!, 'check');
    expect(check!.at).toBeLessThan(solicitationWindow(input, DEFAULT_POLICY).solicitAfter);
  });
});

describe('solicit cancel and expedite, a batch by list filter', () => {
  it("cancels the running orders the filter matches, and only the product's running workflows", async () => {
    const sellerId = newSeller();
    const targets = await started(order(sellerId, 3 * DAY), order(sellerId, 4 * DAY), order(sellerId, 5 * DAY));
    const [ended] = await started(order(sellerId, -DAY));
    const [bystander] = await started(order(newSeller(), 3 * DAY));
    // Another workflow type carrying the same seller ID, never run: the batch must leave it alone.
    const stranger = await client.workflow.start('someOtherWorkflow', {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: `stranger-${sellerId}`,
      typedSearchAttributes: [{ key: searchAttributes.sellerId, value: sellerId }],
    });
    await result(ended!);
    await visible(sellerId, { waiting: 3, solicited: 1 });

    const sent = await solicit('cancel', '--query', `AmazonSellerId = '${sellerId}'`, '--reason', 'seller paused');
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^cancel sent to 3 orders \(batch job [\w-]+\)\n$/);
    for (const orderId of targets) {
      expect(await result(orderId)).toMatchObject({ outcome: 'cancelled', reason: 'seller paused' });
    }
    expect((await client.workflow.getHandle(bystander!).describe()).status.name).toBe('RUNNING');
    const strangerHistory = await stranger.fetchHistory();
    expect(strangerHistory.events?.some((event) => event.workflowExecutionSignaledEventAttributes)).toBe(false);
    await stranger.terminate('test over');
  });

  it('expedites the running orders the filter matches', async () => {
    const sellerId = newSeller();
    const targets = await started(order(sellerId, 3 * DAY), order(sellerId, 4 * DAY));
    await visible(sellerId, { waiting: 2 });

    const sent = await solicit('expedite', '--query', `AmazonSellerId = '${sellerId}'`);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^expedite sent to 2 orders \(batch job [\w-]+\)\n$/);
    for (const orderId of targets) expect(await result(orderId)).toMatchObject({ outcome: 'solicited', checks: 1 });
  });

  it('refuses a filter that reaches past the guard, or a reason of several lines, and signals nothing', async () => {
    const sellerId = newSeller();
    const [target] = await started(order(sellerId, 3 * DAY));
    const [bystander] = await started(order(newSeller(), 3 * DAY));
    await visible(sellerId, { waiting: 1 });

    const [escaping, unbalanced, longReason] = await Promise.all([
      solicit('cancel', '--query', `AmazonSellerId = '${sellerId}') OR (ExecutionStatus = 'Running'`, '--yes'),
      solicit('expedite', '--query', `AmazonSellerId = '${sellerId}`, '--yes'),
      solicit('cancel', '--query', `AmazonSellerId = '${sellerId}'`, '--reason', 'one\ntwo', '--yes'),
    ]);
    const column = `AmazonSellerId = '${sellerId}'`.length + 1;
    oneErrorLine(
      escaping,
      2,
      `solicit cancel: bad list filter: ')' at column ${column} closes a parenthesis the filter did not open`,
    );
    oneErrorLine(
      unbalanced,
      2,
      "solicit expedite: bad list filter: the string opened at column 18 is never closed (missing ')",
    );
    oneErrorLine(longReason, 2, 'solicit cancel: --reason must be one line of text');
    for (const orderId of [target!, bystander!]) {
      // A fresh start sends no signal (its input carries the dates): none may follow.
      const history = await client.workflow.getHandle(orderId).fetchHistory();
      const signals = history.events?.flatMap(
        (event) => event.workflowExecutionSignaledEventAttributes?.signalName ?? [],
      );
      expect(signals).toEqual([]);
      expect((await client.workflow.getHandle(orderId).describe()).status.name).toBe('RUNNING');
    }
  });

  it('sends nothing when no running order matches', async () => {
    const filter = `AmazonSellerId = '${newSeller()}'`;
    expect(await solicit('cancel', '--query', filter)).toMatchObject({
      code: 0,
      stdout: `no running order matches ${filter}\n`,
    });
  });
});

describe('bad input and unreachable servers', () => {
  it('answers a malformed filter or bad usage with one line and exit code 2', async () => {
    const [malformed, unknownAttribute, empty, noTarget, both, unknownOption] = await Promise.all([
      solicit('cancel', '--query', "AmazonSellerId = 'A1' AND ("),
      solicit('list', '--query', "NoSuchAttribute = 'x'"),
      solicit('stats', '--query', ' '),
      solicit('expedite'),
      solicit('cancel', '903-0000000-0000000', '--query', "AmazonSellerId = 'A1'"),
      solicit('list', '--seller', 'A1'),
    ]);
    oneErrorLine(malformed, 2, /^solicit cancel: bad list filter: .+/);
    oneErrorLine(unknownAttribute, 2, /^solicit list: bad list filter: .*NoSuchAttribute/);
    oneErrorLine(empty, 2, `solicit stats: --query needs a list filter, such as "AmazonSellerId = 'A2EXAMPLE'"`);
    oneErrorLine(noTarget, 2, 'solicit expedite: which orders? (solicit expedite <orderId>, or --query FILTER)');
    oneErrorLine(both, 2, 'solicit cancel: give an order ID or --query, not both');
    oneErrorLine(unknownOption, 2, /^solicit list: Unknown option '--seller'/);
  });

  it('fails with exit code 1 and one line when Temporal or a worker does not answer', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    // An order whose task queue no worker polls cannot answer its status query.
    const input = order(newSeller(), 3 * DAY);
    const orphan = await client.workflow.start(reviewSolicitation, {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: input.amazonOrderId,
      args: [input],
    });
    const [stats, status, noWorker] = await Promise.all([
      runSolicit(['stats'], { TEMPORAL_ADDRESS: address }),
      runSolicit(['status', '903-0000000-0000000'], { TEMPORAL_ADDRESS: address }),
      solicit('status', input.amazonOrderId),
    ]);
    await orphan.terminate('test over');

    const unreachable = `cannot connect to Temporal at ${address}: Failed to connect before the deadline`;
    oneErrorLine(stats, 1, `solicit stats: ${unreachable}`);
    oneErrorLine(status, 1, `solicit status: ${unreachable}`);
    expect(Math.max(stats.ms, status.ms)).toBeLessThan(10_000);
    oneErrorLine(
      noWorker,
      1,
      new RegExp(
        `^solicit status: order ${input.amazonOrderId}: no worker answered its status query .+; ` +
          `is 'solicit worker' running for task queue ${taskQueue}-nobody\\?$`,
      ),
    );
  });

  it('prints the usage of every operator command with --help', async () => {
    const names = ['status', 'list', 'stats', 'cancel', 'expedite'];
    const runs = await Promise.all(names.map((name) => solicit(name, '--help')));
    runs.forEach((run, index) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: solicit ${names[index]} `));
    });
  });
});
