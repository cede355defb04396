import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
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
import { SpApiError } from '../../src/spapi/errors';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { runSolicit, type SolicitRun } from '../helpers/run-solicit';
import { DAY, FakeSolicitations, OFFERED, iso } from '../helpers/solicitation-harness';
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

/** Runs `use` while a worker serves a stub of the product's workflow (test/fixtures/workflows) on a queue of its own. */
async function withStub(stub: string, use: (stubQueue: string) => Promise<void>): Promise<void> {
  const stubQueue = `${taskQueue}-${stub}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: temporalNamespace,
    taskQueue: stubQueue,
    workflowsPath: require.resolve(`../fixtures/workflows/${stub}`),
  });
  await worker.runUntil(() => use(stubQueue));
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

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
      blocked: [],
    });
    expect(text.stdout).toMatch(/^PHASE {14}ORDERS\nwaiting {12}2\n/);
    expect(text.stdout).toMatch(/^total {14}4$/m);
  });

  it('lists the blocked orders per seller, with the reason one of them gives', async () => {
    const [many, one] = [newSeller(), newSeller()];
    await withStub('blocked-order-stub', async (blockedQueue) => {
      const inputs = [order(many, 3 * DAY), order(one, 3 * DAY), order(many, 3 * DAY), order(many, 3 * DAY)];
      for (const input of inputs) await startOrder(client, blockedQueue, input);
      await Promise.all([visible(many, { blocked: 3 }), visible(one, { blocked: 1 })]);

      const filter = `AmazonSellerId = '${many}' OR AmazonSellerId = '${one}'`;
      const [json, text] = await Promise.all([
        solicit('stats', '--query', filter, '--json'),
        solicit('stats', '--query', filter),
      ]);
      const refused = (sellerId: string) => `Amazon refused seller ${sellerId}'s authorization (invalid_grant)`;
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        phases: { blocked: 4, waiting: 0 },
        total: 4,
        blocked: [
          { sellerId: many, orders: 3, reason: refused(many) },
          { sellerId: one, orders: 1, reason: refused(one) },
        ],
      });
      expect(text.stdout).toMatch(/^blocked {12}4$/m);
      const blockedTable = text.stdout.slice(text.stdout.indexOf('\nblocked orders per seller:\n')).split('\n');
      expect(blockedTable.slice(2)).toEqual([
        expect.stringMatching(/^SELLER +BLOCKED {2}REASON$/),
        expect.stringMatching(new RegExp(`^${many} +3 +${escape(refused(many))}$`)),
        expect.stringMatching(new RegExp(`^${one} +1 +${escape(refused(one))}$`)),
        '',
      ]);
      for (const input of inputs) await client.workflow.getHandle(input.amazonOrderId).signal(cancelSignal, {});
    });
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

describe('solicit stats --by', () => {
  it('counts per seller or marketplace, per outcome of the period or per phase, for people and for machines', async () => {
    const [one, two] = [newSeller(), newSeller()];
    const canada = (input: ReviewSolicitationInput) => ({ ...input, marketplaceId: 'A2EUQ1WTGCTBG2' });
    const [, solicited, cancelled, solicitedTwo] = await started(
      order(one, 3 * DAY),
      order(one, -DAY),
      canada(order(one, 3 * DAY)),
      canada(order(two, -DAY)),
    );
    await client.workflow.getHandle(cancelled!).signal(cancelSignal, { reason: 'test' });
    await Promise.all([result(solicited!), result(cancelled!), result(solicitedTwo!)]);
    await visible(one, { waiting: 1, solicited: 1, cancelled: 1 });
    await visible(two, { solicited: 1 });
    const filter = `AmazonSellerId = '${one}' OR AmazonSellerId = '${two}'`;
    await eventually(
      'the three ended orders closed in visibility',
      async () => (await client.workflow.count(`(${filter}) AND ExecutionStatus != 'Running'`)).count,
      (count) => count === 3,
    );

    const [bySeller, byMarketplace, phases, badGroup] = await Promise.all([
      solicit('stats', '--since', '1d', '--by', 'seller', '--query', filter, '--json'),
      solicit('stats', '--since', '30d', '--by', 'marketplace', '--query', filter),
      solicit('stats', '--by', 'marketplace', '--query', filter, '--json'),
      solicit('stats', '--since', '1d', '--by', 'phase'),
    ]);
    expect(bySeller.code).toBe(0);
    const sellers = JSON.parse(bySeller.stdout) as {
      since: string;
      by: string;
      outcomes: Record<string, number>;
      total: number;
      groups: Record<string, { outcomes: Record<string, number>; total: number }>;
    };
    expect(sellers).toMatchObject({ by: 'seller', total: 3, outcomes: { solicited: 2, cancelled: 1, expired: 0 } });
    expect(Object.keys(sellers.groups)).toEqual([one, two]);
    expect(sellers.groups[one]).toMatchObject({ total: 2, outcomes: { solicited: 1, cancelled: 1, failed: 0 } });
    expect(sellers.groups[two]).toMatchObject({ total: 1, outcomes: { solicited: 1, cancelled: 0 } });

    expect(byMarketplace.code).toBe(0);
    const lines = byMarketplace.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ended since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(lines[1]).toMatch(/^MARKETPLACE +SOLICITED +ALREADY-SOLICITED +EXPIRED +CANCELLED +FAILED +DRY-RUN +TOTAL$/);
    expect(lines.slice(2).map((line) => line.split(/ +/))).toEqual([
      ['A2EUQ1WTGCTBG2', '1', '0', '0', '1', '0', '0', '2'],
      ['ATVPDKIKX0DER', '1', '0', '0', '0', '0', '0', '1'],
      ['total', '2', '0', '0', '1', '0', '0', '3'],
    ]);

    expect(phases.code).toBe(0);
    const byPhase = JSON.parse(phases.stdout) as {
      by: string;
      phases: Record<string, number>;
      total: number;
      groups: Record<string, { phases: Record<string, number>; total: number }>;
    };
    expect(byPhase).toMatchObject({ by: 'marketplace', total: 4, phases: { waiting: 1, solicited: 2, cancelled: 1 } });
    expect(byPhase.groups.ATVPDKIKX0DER).toMatchObject({ total: 2, phases: { waiting: 1, solicited: 1 } });
    expect(byPhase.groups.A2EUQ1WTGCTBG2).toMatchObject({ total: 2, phases: { solicited: 1, cancelled: 1 } });

    oneErrorLine(badGroup, 2, "solicit stats: --by must be marketplace or seller, got 'phase'");
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
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(new RegExp(`^expedite sent to order ${orderId}\nended: solicited at .* UTC\n$`));
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

describe('solicit retry', () => {
  /** Amazon answers 400 to the order's first check, as for an order it does not know yet; later ones offer. */
  function failingOnce(input: ReviewSolicitationInput): ReviewSolicitationInput {
    fake.script(input.amazonOrderId, {
      check: (call) => {
        if (call > 1) return OFFERED;
        throw new SpApiError('invalid-input', 'getSolicitationActionsForOrder', 'InvalidInput: order not found', {
          status: 400,
        });
      },
    });
    return input;
  }

  /** The event of the current run's history where a reset took it back to its first workflow task. */
  async function resetEvent(orderId: string) {
    const { events } = await client.workflow.getHandle(orderId).fetchHistory();
    return events?.find((event) => event.workflowTaskFailedEventAttributes);
  }

  it('reopens a failed order from its first workflow task: it runs again and is solicited', async () => {
    const [orderId] = await started(failingOnce(order(newSeller(), -DAY)));
    expect(await result(orderId!)).toMatchObject({ outcome: 'failed', checks: 0 });
    const failedRun = (await client.workflow.getHandle(orderId!).describe()).runId;

    const retried = await solicit('retry', orderId!);
    expect(retried).toMatchObject({ code: 0, stdout: `order ${orderId} reopened\n`, stderr: '' });
    expect(await result(orderId!)).toMatchObject({ outcome: 'solicited', checks: 1 });
    expect(fake.callsFor(orderId!, 'check')).toHaveLength(2);
    expect(fake.callsFor(orderId!, 'solicit')).toHaveLength(1);

    expect((await client.workflow.getHandle(orderId!).describe()).runId).not.toBe(failedRun);
    // The new run keeps the first run's start and first workflow task, then the reset, with its reason.
    const reset = await resetEvent(orderId!);
    expect(Number(reset?.eventId)).toBe(4);
    expect(reset?.workflowTaskFailedEventAttributes).toMatchObject({
      baseRunId: failedRun,
      failure: { message: 'solicit retry: reopened by an operator' },
    });

    oneErrorLine(
      await solicit('retry', orderId!),
      2,
      `solicit retry: order ${orderId} ended solicited: only failed orders, and expired ones whose window is still ` +
        'open, are retried',
    );
  });

  it('reopens an expired order whose window is in fact still open', async () => {
    await withStub('review-solicitation-stub', async (stubQueue) => {
      const input = order(newSeller(), 3 * DAY);
      await startOrder(client, stubQueue, input);
      const handle = client.workflow.getHandle(input.amazonOrderId);
      expect(await handle.result()).toMatchObject({ outcome: 'expired' });
      const expiredRun = (await handle.describe()).runId;

      const retried = await solicit('retry', input.amazonOrderId);
      expect(retried).toMatchObject({ code: 0, stdout: `order ${input.amazonOrderId} reopened\n`, stderr: '' });
      await handle.result();
      expect((await resetEvent(input.amazonOrderId))?.workflowTaskFailedEventAttributes?.baseRunId).toBe(expiredRun);
    });
  });

  it('refuses a running order, an unknown one, another workflow type and a closed window, with exit code 2', async () => {
    const sellerId = newSeller();
    const closedWindowInput = order(sellerId, -40 * DAY);
    const [running, closedWindow] = await started(order(sellerId, 3 * DAY), closedWindowInput);
    expect(await result(closedWindow!)).toMatchObject({ outcome: 'expired' });
    const stranger = await client.workflow.start('someOtherWorkflow', {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: `stranger-${sellerId}`,
    });

    const [whileRunning, unknown, otherType, expired, noTarget] = await Promise.all([
      solicit('retry', running!),
      solicit('retry', '903-0000000-0000000'),
      solicit('retry', stranger.workflowId),
      solicit('retry', closedWindow!),
      solicit('retry'),
    ]);
    await stranger.terminate('test over');
    const closes = formatInstant(solicitationWindow(closedWindowInput, DEFAULT_POLICY).solicitBefore);
    oneErrorLine(whileRunning, 2, `solicit retry: order ${running} is still running (waiting): nothing to retry`);
    oneErrorLine(unknown, 2, `solicit retry: no order 903-0000000-0000000 in namespace ${temporalNamespace}`);
    oneErrorLine(
      otherType,
      2,
      `solicit retry: ${stranger.workflowId} is a someOtherWorkflow workflow, not an order's reviewSolicitation`,
    );
    oneErrorLine(
      expired,
      2,
      `solicit retry: order ${closedWindow} expired and its window closed on ${closes}: ` +
        'Amazon would not take its review request',
    );
    oneErrorLine(noTarget, 2, 'solicit retry: which orders? (solicit retry <orderId>, or --query FILTER)');
    expect((await client.workflow.getHandle(running!).describe()).status.name).toBe('RUNNING');
  });

  it('reopens the failed orders a list filter matches, once, and refuses a filter that escapes the guard', async () => {
    const sellerId = newSeller();
    const failing = await started(failingOnce(order(sellerId, -DAY)), failingOnce(order(sellerId, -DAY)));
    const [solicited] = await started(order(sellerId, -DAY));
    for (const orderId of failing) expect(await result(orderId)).toMatchObject({ outcome: 'failed' });
    await result(solicited!);
    await visible(sellerId, { failed: 2, solicited: 1 });
    const filter = `AmazonSellerId = '${sellerId}'`;

    const escaping = await solicit('retry', '--query', `${filter}) OR (ExecutionStatus = 'Completed'`, '--yes');
    oneErrorLine(
      escaping,
      2,
      `solicit retry: bad list filter: ')' at column ${filter.length + 1} closes a parenthesis the filter did not open`,
    );
    expect(fake.callsFor(failing[0]!, 'check')).toHaveLength(1);

    const retried = await solicit('retry', '--query', filter, '--yes');
    expect(retried).toMatchObject({ code: 0, stdout: '2 orders reopened\n', stderr: '' });
    for (const orderId of failing) expect(await result(orderId)).toMatchObject({ outcome: 'solicited', checks: 1 });
    expect(fake.callsFor(solicited!, 'check')).toHaveLength(1);

    // Visibility still lists the failed runs the retry replaced: they are not reopened again.
    await visible(sellerId, { failed: 2, solicited: 3 });
    expect(await solicit('retry', '--query', filter)).toMatchObject({
      code: 0,
      stdout: `no order to retry matches ${filter}\n`,
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
    const names = ['status', 'list', 'stats', 'cancel', 'expedite', 'retry'];
    const runs = await Promise.all(names.map((name) => solicit(name, '--help')));
    runs.forEach((run, index) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: solicit ${names[index]} `));
    });
  });
});
