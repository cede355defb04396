import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { activityInfo } from '@temporalio/activity';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderRef, ReviewSolicitationInput, ReviewSolicitationResult } from '../../src/domain/contract';
import { guardedToolPath } from '../../src/local/processes';
import type { SolicitationsApi } from '../../src/spapi/solicitations';
import { reviewSolicitation } from '../../src/workflows';
import { workflowStartSummary } from '../../src/domain/web-ui';
import { createTimeSkippingEnv, uniqueTaskQueue } from './temporal';
import { runProductWorkers } from './workers';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const OFFERED = ['productReviewAndSellerFeedback'];

export type Operation = 'check' | 'solicit';

export interface FakeCall {
  operation: Operation;
  amazonOrderId: string;
  /** Server time (skipped time under the time-skipping server) at which this attempt was scheduled. */
  at: number;
  attempt: number;
}

/** What the fake SP-API answers for one order; `call` counts that operation's calls for the order from 1. */
export interface OrderScript {
  check?: (call: number) => string[] | Promise<string[]>;
  solicit?: (call: number) => void | Promise<void>;
}

/**
 * The SP-API side of the integration tests (the only fake there): answers per order as scripted and records
 * every call with the server time of its attempt.
 */
export class FakeSolicitations implements SolicitationsApi {
  readonly calls: FakeCall[] = [];
  private readonly scripts = new Map<string, OrderScript>();
  private readonly waiters: { matches: () => boolean; resolve: () => void }[] = [];

  script(amazonOrderId: string, script: OrderScript): void {
    this.scripts.set(amazonOrderId, script);
  }

  callsFor(amazonOrderId: string, operation?: Operation): FakeCall[] {
    return this.calls.filter((c) => c.amazonOrderId === amazonOrderId && (!operation || c.operation === operation));
  }

  /** Resolves once the order has had `count` calls of the operation. */
  waitForCalls(amazonOrderId: string, operation: Operation, count: number): Promise<void> {
    const matches = () => this.callsFor(amazonOrderId, operation).length >= count;
    if (matches()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }

  async getSolicitationActionsForOrder(order: OrderRef): Promise<string[]> {
    const call = this.record('check', order);
    return (await this.scripts.get(order.amazonOrderId)?.check?.(call)) ?? OFFERED;
  }

  async createProductReviewAndSellerFeedbackSolicitation(order: OrderRef): Promise<void> {
    const call = this.record('solicit', order);
    await this.scripts.get(order.amazonOrderId)?.solicit?.(call);
  }

  private record(operation: Operation, order: OrderRef): number {
    const { currentAttemptScheduledTimestampMs: at, attempt } = activityInfo();
    this.calls.push({ operation, amazonOrderId: order.amazonOrderId, at, attempt });
    for (const waiter of this.waiters.filter((w) => w.matches())) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return this.callsFor(order.amazonOrderId, operation).length;
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  fake: FakeSolicitations;
  taskQueue: string;
  /** Server time now. */
  now(): Promise<number>;
  start(input: ReviewSolicitationInput): Promise<WorkflowHandle<typeof reviewSolicitation>>;
  /** The order's workflow ends with exactly this result (its order ID is its workflow ID); returns it. */
  ended: typeof expectEnded;
  teardown(): Promise<void>;
}

/** A time-skipping server of this test file's own, running the product's workers against a fake SP-API. */
export async function startHarness(): Promise<Harness> {
  const env = await createTimeSkippingEnv();
  const fake = new FakeSolicitations();
  const taskQueue = uniqueTaskQueue('review-solicitation');
  const workers = runProductWorkers(env, { taskQueue, solicitations: fake });
  return {
    env,
    fake,
    taskQueue,
    now: () => env.currentTimeMs(),
    start: startsOrders(env.client, taskQueue),
    ended: expectEnded,
    async teardown() {
      await workers.stop();
      await env.teardown();
    },
  };
}

/** Starts an order's workflow as the start path does: its order ID as workflow ID, with its summary. */
export function startsOrders(client: Client, taskQueue: string) {
  return (input: ReviewSolicitationInput): Promise<WorkflowHandle<typeof reviewSolicitation>> =>
    client.workflow.start(reviewSolicitation, {
      taskQueue,
      workflowId: input.amazonOrderId,
      args: [input],
      ...workflowStartSummary(input),
    });
}

/** Within a few seconds after `expected`: the server's time moves on in real time between tasks. */
export function expectAt(actual: number | string | undefined, expected: number): void {
  const instant = typeof actual === 'string' ? Date.parse(actual) : actual;
  expect(instant).toBeGreaterThanOrEqual(expected);
  expect(instant! - expected).toBeLessThan(30_000);
}

export const HISTORIES_DIR = path.resolve(__dirname, '../histories');

/**
 * Histories are stored in Temporal's JSON format, the one `temporal workflow show --output json` and the
 * Web UI's download produce, so a history from production can join the replay test as it is.
 */
export function readHistory(file: string): unknown {
  // The worker's replay reads this JSON format itself.
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * With RECORD_HISTORIES=true, writes the workflow's history for the replay test (test/histories): its latest
 * run's, or the run `runId` names.
 */
export async function recordHistory(handle: WorkflowHandle, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== 'true') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const { address } = (handle.client.connection as Connection).options;
  const { stdout: json } = await promisify(execFile)(
    guardedToolPath('temporal'),
    [
      ...['workflow', 'show', '--workflow-id', handle.workflowId, ...(runId ? ['--run-id', runId] : [])],
      ...['--output', 'json', '--address', address],
    ],
    { encoding: 'utf8', env: { ...process.env, TEMPORAL_NAMESPACE: handle.client.options.namespace } },
  );
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json.trimEnd() + '\n');
}

async function expectEnded(
  handle: WorkflowHandle<typeof reviewSolicitation>,
  result: Omit<ReviewSolicitationResult, 'amazonOrderId'>,
): Promise<ReviewSolicitationResult> {
  const ended = await handle.result();
  expect(ended).toEqual({ amazonOrderId: handle.workflowId, ...result });
  return ended;
}
