import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DEFAULT_POLICY,
  cancelSignal,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
} from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { solicitationWindow, type SolicitationWindow } from '../../src/domain/window';
import { runServers } from '../setup/servers';
import { ensureBuilt } from './cli';
import { eventually } from './eventually';
import { iso, orderInput } from './orders';
import { runSolicit, type SolicitRun } from './run-solicit';
import { DAY, FakeSolicitations } from './solicitation-harness';
import { connectToDevServer, uniqueTaskQueue } from './temporal';
import { fixtureWorkflows, runProductWorkers, withWorker, type RunningWorkers } from './workers';

/**
 * The operator commands as processes against the run's Temporal dev server, with the test file's own
 * workers (SP-API faked) running the orders. Every order has a seller ID of its test's own, and every list,
 * count and batch filters on it, because other test files share the server.
 */
export interface OperatorCli {
  readonly client: Client;
  readonly fake: FakeSolicitations;
  readonly taskQueue: string;
  readonly temporalNamespace: string;
  /** Runs `bin/solicit` against the dev server. */
  solicit(...args: string[]): Promise<SolicitRun>;
  /** A seller ID of the test's own. */
  newSeller(): string;
  /** A seller-fulfilled order whose window opens `opensIn` from now (negative: already open); whole seconds. */
  order(sellerId: string, opensIn: number): ReviewSolicitationInput;
  /** Started the way ingest starts orders; their order IDs. */
  started(...inputs: ReviewSolicitationInput[]): Promise<string[]>;
  /** Started orders of the seller, one for each time from now their windows open; their order IDs. */
  startedFor(sellerId: string, ...opensIn: number[]): Promise<string[]>;
  /** A waiting order of the seller, with its window, and one that was solicited: started, and the solicited one ended. */
  waitingAndSolicited(sellerId: string): Promise<{ waiting: string; window: SolicitationWindow; solicited: string }>;
  /** Cancels the order, as an operator would, and waits for it to end. */
  cancel(orderId: string): Promise<ReviewSolicitationResult>;
  result(orderId: string): Promise<ReviewSolicitationResult>;
  /** Visibility is eventually consistent: waits until the seller's orders are in these phases. */
  visible(sellerId: string, phases: Record<string, number>): Promise<void>;
  /** Runs `use` while a worker serves a stub of the product's workflow (test/fixtures/workflows) on a queue of its own. */
  withStub(stub: string, use: (stubQueue: string) => Promise<void>): Promise<void>;
}

/** Sets up the servers and workers for the test file's operator commands (in its beforeAll and afterAll). */
export function operatorCli(name: string): OperatorCli {
  const { temporalAddress, temporalNamespace } = runServers();
  const fake = new FakeSolicitations();
  const taskQueue = uniqueTaskQueue(`operator-cli-${name}`);
  let env: TestWorkflowEnvironment | undefined;
  let workers: RunningWorkers | undefined;
  const connected = () => {
    if (!env) throw new Error('the operator CLI tests are not set up yet (beforeAll)');
    return env;
  };

  beforeAll(async () => {
    ensureBuilt();
    env = await connectToDevServer();
    workers = runProductWorkers(env, { taskQueue, solicitations: fake });
  });
  afterAll(async () => {
    await workers?.stop();
    await env?.teardown();
  });

  const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
  let sellers = 0;
  const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

  const client = () => connected().client;
  const order = (sellerId: string, opensIn: number) => {
    const earliest = Math.floor((Date.now() + opensIn - 5 * DAY) / 1000) * 1000;
    return orderInput({
      amazonOrderId: `903-${digits(7)}-${digits(7)}`,
      sellerId,
      shippedAt: iso(earliest - 2 * DAY),
      earliestDeliveryDate: iso(earliest),
      latestDeliveryDate: iso(earliest + 2 * DAY),
    });
  };
  const started = async (...inputs: ReviewSolicitationInput[]) => {
    for (const input of inputs) await startOrder(client(), taskQueue, input);
    return inputs.map((input) => input.amazonOrderId);
  };
  const result = (orderId: string) =>
    client().workflow.getHandle(orderId).result() as Promise<ReviewSolicitationResult>;

  return {
    get client() {
      return client();
    },
    fake,
    taskQueue,
    temporalNamespace,
    solicit: (...args) =>
      runSolicit(args, { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace }),
    newSeller() {
      sellers += 1;
      return `AOPS${stamp}X${sellers}`;
    },
    order,
    started,
    startedFor: (sellerId, ...opensIn) => started(...opensIn.map((opens) => order(sellerId, opens))),
    async waitingAndSolicited(sellerId) {
      const waitingInput = order(sellerId, 3 * DAY);
      const [waiting, solicited] = await started(waitingInput, order(sellerId, -DAY));
      await result(solicited!);
      return { waiting: waiting!, window: solicitationWindow(waitingInput, DEFAULT_POLICY), solicited: solicited! };
    },
    async cancel(orderId) {
      await client().workflow.getHandle(orderId).signal(cancelSignal, { reason: 'test' });
      return result(orderId);
    },
    result,
    async visible(sellerId, phases) {
      for (const [phase, expected] of Object.entries(phases)) {
        await eventually(
          `${sellerId}'s orders in phase ${phase}`,
          async () =>
            (await client().workflow.count(`AmazonSellerId = '${sellerId}' AND SolicitationPhase = '${phase}'`)).count,
          (count) => count === expected,
        );
      }
    },
    async withStub(stub, use) {
      const stubQueue = `${taskQueue}-${stub}`;
      await withWorker(connected(), { taskQueue: stubQueue, workflowsPath: fixtureWorkflows(stub) }, () =>
        use(stubQueue),
      );
    },
  };
}

export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command failed with `code`, printing nothing but one line on stderr. */
export function oneErrorLine(run: SolicitRun, code: number, line: string | RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  expect(run.stderr.split('\n')).toEqual([typeof line === 'string' ? line : expect.stringMatching(line), '']);
}
