import { forTheFile } from '../helpers/for-the-file';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  expediteSignal,
  searchAttributes,
  statusQuery,
  type ReviewSolicitationResult,
  type SolicitationStatus,
} from '../../src/domain/contract';
import type { reviewSolicitation } from '../../src/workflows';
import { REFUSAL_HOLD_MS } from '../../src/spapi/credential-circuit';
import { openOrder, startCredentialHarness } from '../helpers/credential-harness';
import { eventually } from '../helpers/eventually';
import { DAY, HOUR, MINUTE, expectAt, recordHistory } from '../helpers/solicitation-harness';

/**
 * docs/spec.md, "Workflow contract", phase `blocked`: credential lapses hold orders, never fail them, and cost at
 * most one Amazon call per order per hour and one LWA request per refused credential per 5 minutes per
 * worker. Time-skipping server; the product's SP-API clients against the simulator.
 */

const SELLERS = {
  A1REVOKED: { refreshToken: 'Atzr|revoked' },
  A2PAUSED: { refreshToken: 'Atzr|paused', paused: true },
  A3SECRET: { refreshToken: 'Atzr|secret' },
  A4EXPEDITE: { refreshToken: 'Atzr|expedite' },
  A5CLOSING: { refreshToken: 'Atzr|closing' },
  A6DENIED: { refreshToken: 'Atzr|denied' },
  A7LONG: { refreshToken: 'Atzr|long' },
  A8LATEFIX: { refreshToken: 'Atzr|late-fix' },
};

type Handle = WorkflowHandle<typeof reviewSolicitation>;

const h = forTheFile(() => startCredentialHarness(SELLERS));

async function blocked(handle: WorkflowHandle): Promise<SolicitationStatus> {
  return eventually(
    `${handle.workflowId} blocked`,
    () => handle.query(statusQuery),
    (status) => status.phase === 'blocked',
  );
}

const currentDetails = async (handle: WorkflowHandle) =>
  (await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata')).currentDetails;
const result = (handle: Handle) => handle.result();
const solicitationsOf = (amazonOrderId: string) =>
  h.sim.solicitations.filter((sent) => sent.amazonOrderId === amazonOrderId);
const refusedLwaRequests = (sellerId: string) =>
  h.sim.tokenRequests.filter((request) => request.sellerId === sellerId && request.status === 400);

/** The gaps between consecutive instants. */
function gaps(instants: number[]): number[] {
  return instants.slice(1).map((at, index) => at - instants[index]!);
}

it('holds a revoked seller’s orders for 3 days, then solicits each once, within the call limits', async () => {
  const sellerId = 'A1REVOKED';
  h.sim.revokeSeller(sellerId);
  const t0 = await h.env.currentTimeMs();
  // Windows opening a minute apart, so that without the worker's circuit each order would ask LWA itself.
  const handles: Handle[] = [];
  for (let i = 0; i < 4; i += 1) handles.push(await h.start(openOrder(h.sim, sellerId, t0, 25 * DAY, i * MINUTE)));
  const status = await blocked(handles[0]!);
  expect(status.reason).toMatch(
    /^getSolicitationActionsForOrder: LWA refused seller A1REVOKED's authorization of the app \(its refresh token\): HTTP 400 invalid_grant .*SPAPI_SELLERS_FILE.*\. The order tries again by itself at \d{4}-\d\d-\d\d \d\d:\d\d UTC; an expedite tries at once$/,
  );
  const firstAttempt = h.attempts.find((a) => a.amazonOrderId === handles[0]!.workflowId)!.at;
  expectAt(status.nextCheckAt, firstAttempt + HOUR);
  expect((await handles[0]!.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('blocked');
  expect(await currentDetails(handles[0]!)).toBe(`Blocked: ${status.reason}.`);

  // The seller authorizes the app again three days later, just before the attempt that finds it so.
  let restoredAt: number | undefined;
  h.beforeAttempt = (attempt) => {
    if (restoredAt !== undefined || attempt.at < t0 + 3 * DAY) return;
    restoredAt = attempt.at;
    h.sim.restoreSeller(sellerId);
  };
  const results: ReviewSolicitationResult[] = [];
  for (const handle of handles) results.push(await result(handle));
  h.beforeAttempt = undefined;

  expect(results.map((r) => r.outcome)).toEqual(['solicited', 'solicited', 'solicited', 'solicited']);
  for (const handle of handles) {
    const sent = solicitationsOf(handle.workflowId);
    expect(sent).toHaveLength(1);
    // Back within the hour of the fix.
    expect(sent[0]!.at.getTime() - restoredAt!).toBeLessThanOrEqual(HOUR);
    // One attempt an hour while blocked, no more.
    const blockedAttempts = h.attempts
      .filter((a) => a.amazonOrderId === handle.workflowId && a.at < restoredAt!)
      .map((a) => a.at);
    expect(Math.min(...gaps(blockedAttempts))).toBeGreaterThanOrEqual(HOUR);
    expect(blockedAttempts.length).toBeGreaterThanOrEqual(3 * 24 - 1);
  }
  // One LWA request per 5 minutes for the refused refresh token, however many orders wait on it.
  const refused = refusedLwaRequests(sellerId).map((request) => request.at.getTime());
  expect(refused.length).toBeGreaterThanOrEqual(3 * 24 - 1);
  expect(Math.min(...gaps(refused))).toBeGreaterThanOrEqual(REFUSAL_HOLD_MS);
});

it('holds a paused seller’s order without asking Amazon, and resumes it once the sellers file is edited', async () => {
  const sellerId = 'A2PAUSED';
  const handle = await h.start(openOrder(h.sim, sellerId, await h.env.currentTimeMs()));
  const status = await blocked(handle);
  expect(status.reason).toMatch(/^getSolicitationActionsForOrder: seller A2PAUSED is paused in SPAPI_SELLERS_FILE\. /);
  const blockedAt = await h.env.currentTimeMs();

  h.writeSellers({ ...SELLERS, [sellerId]: { refreshToken: SELLERS.A2PAUSED.refreshToken } });
  await h.rereads('SPAPI_SELLERS_FILE', 1);
  expect(await result(handle)).toMatchObject({ outcome: 'solicited', checks: 1 });
  const sent = solicitationsOf(handle.workflowId);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.at.getTime() - blockedAt).toBeLessThanOrEqual(HOUR + MINUTE);
  expect(h.sim.tokenRequests.filter((request) => request.sellerId === sellerId)).toHaveLength(1);
  await recordHistory(handle, 'blocked-then-resumed');
});

it('holds orders on an expired client secret until LWA_CLIENT_SECRET_FILE holds the new one, with no restart', async () => {
  const old = h.sim.clientSecret;
  h.sim.rotateClientSecret('rotated-client-secret');
  h.sim.expireClientSecret(old);
  const appRefusals = () => h.sim.tokenRequests.filter((request) => request.status === 401).length;
  const handle = await h.start(openOrder(h.sim, 'A3SECRET', await h.env.currentTimeMs()));
  const status = await blocked(handle);
  expect(status.reason).toMatch(/LWA refused the app's client credentials .*invalid_client.*LWA_CLIENT_SECRET_FILE/);
  expect(status.reason).not.toContain(old);
  expect(appRefusals()).toBe(1);

  h.writeClientSecret('rotated-client-secret\n');
  await h.rereads('LWA_CLIENT_SECRET_FILE', 1);
  expect(await result(handle)).toMatchObject({ outcome: 'solicited' });
  expect(solicitationsOf(handle.workflowId)).toHaveLength(1);
  expect(appRefusals()).toBe(1);
});

it('sends an expedited blocked order at once, even while the worker holds the refusal', async () => {
  const sellerId = 'A4EXPEDITE';
  h.sim.revokeSeller(sellerId);
  const expedited = await h.start(openOrder(h.sim, sellerId, await h.env.currentTimeMs()));
  await blocked(expedited);
  const [refusal] = refusedLwaRequests(sellerId);
  h.sim.restoreSeller(sellerId);
  // The worker still holds the refusal: another order of the seller fails fast, without asking LWA.
  const held = await h.start(openOrder(h.sim, sellerId, await h.env.currentTimeMs()));
  expect((await blocked(held)).reason).toContain('refusal held by this worker');
  expect(h.sim.tokenRequests.filter((request) => request.sellerId === sellerId)).toHaveLength(1);

  await expedited.signal(expediteSignal, {});
  expect(await result(expedited)).toMatchObject({ outcome: 'solicited' });
  const [sent] = solicitationsOf(expedited.workflowId);
  expect(sent!.at.getTime() - refusal!.at.getTime()).toBeLessThan(REFUSAL_HOLD_MS);
  expect(h.attempts.filter((a) => a.amazonOrderId === expedited.workflowId).map((a) => a.attempt)).toEqual([
    undefined,
    'expedite',
    'expedite',
  ]);
  expect(await result(held)).toMatchObject({ outcome: 'solicited' });
});

it('ends a blocked order expired, with the blocking reason, when its window closes first', async () => {
  const sellerId = 'A5CLOSING';
  h.sim.revokeSeller(sellerId);
  const input = openOrder(h.sim, sellerId, await h.env.currentTimeMs(), 2.5 * HOUR);
  const handle = await h.start(input);
  await blocked(handle);

  const ended = await result(handle);
  expect(ended.outcome).toBe('expired');
  expect(ended.reason).toMatch(
    /^the window closed on .* UTC while the order was blocked: getSolicitationActionsForOrder: LWA refused seller A5CLOSING's authorization/,
  );
  const solicitBefore = h.sim.order(input.amazonOrderId)!.solicitBefore.getTime();
  const attempts = h.attempts.filter((a) => a.amazonOrderId === input.amazonOrderId).map((a) => a.at);
  expect(attempts).toHaveLength(3);
  expect(Math.max(...attempts)).toBeLessThan(solicitBefore);
  expect(solicitationsOf(input.amazonOrderId)).toHaveLength(0);
  expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('expired');
  await recordHistory(handle, 'blocked-window-closed');
});

it('costs one SP-API call per attempt and one LWA request per 5 minutes when Amazon denies many orders of a seller', async () => {
  const sellerId = 'A6DENIED';
  const t0 = await h.env.currentTimeMs();
  // Windows opening 3 minutes apart and closing within 3 hours: each order's hourly attempts come at its own time.
  const inputs = Array.from({ length: 20 }, (_, i) =>
    openOrder(h.sim, sellerId, t0, 3 * HOUR + i * 3 * MINUTE, i * 3 * MINUTE),
  );
  for (const input of inputs) h.sim.revokeOrderAuthorization(input.amazonOrderId);
  const handles: Handle[] = [];
  for (const input of inputs) handles.push(await h.start(input));
  // One at a time: the time-skipping server's lock is held per waiting client call.
  const results: ReviewSolicitationResult[] = [];
  for (const handle of handles) results.push(await result(handle));
  expect(results.map((r) => r.outcome)).toEqual(inputs.map(() => 'expired'));
  expect(results[0]!.reason).toMatch(/Buyer Solicitation role/);

  const ids = new Set(inputs.map((input) => input.amazonOrderId));
  const calls = h.sim.requests.filter((request) => ids.has(request.amazonOrderId ?? ''));
  const attempts = h.attempts.filter((attempt) => ids.has(attempt.amazonOrderId));
  // Every call is an activity attempt of its own, so the seller's pacing meets every one, repeats included.
  expect(calls.length).toBe(attempts.length);
  expect(calls.length).toBeGreaterThanOrEqual(2 * inputs.length);
  const tokenRequests = h.sim.tokenRequests
    .filter((request) => request.sellerId === sellerId)
    .map((r) => r.at.getTime());
  expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
  expect(Math.min(...gaps(tokenRequests))).toBeGreaterThanOrEqual(REFUSAL_HOLD_MS);
});

/** Every run of an order's workflow, from the first, following continue-as-new, with its history's length. */
async function runsOf(handle: Handle, firstRunId: string): Promise<{ runId: string; events: number }[]> {
  const runs: { runId: string; events: number }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId !== undefined) {
    const history: temporal.api.history.v1.IHistory = await h.env.client.workflow
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    runs.push({ runId, events: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

it('keeps the history of an order blocked for weeks short, and resumes it within the hour of a late fix', async () => {
  h.sim.revokeSeller('A7LONG');
  h.sim.revokeSeller('A8LATEFIX');
  const t0 = await h.env.currentTimeMs();
  const long = await h.start(openOrder(h.sim, 'A7LONG', t0, 30 * DAY));
  const fixed = await h.start(openOrder(h.sim, 'A8LATEFIX', t0, 30 * DAY));
  const { runId: firstRunId } = await long.describe();
  let restoredAt: number | undefined;
  h.beforeAttempt = (attempt) => {
    if (restoredAt !== undefined || attempt.amazonOrderId !== fixed.workflowId || attempt.at < t0 + 10 * DAY) return;
    restoredAt = attempt.at;
    h.sim.restoreSeller('A8LATEFIX');
  };
  const fixedResult = await result(fixed);
  h.beforeAttempt = undefined;
  expect(fixedResult.outcome).toBe('solicited');
  expect(Date.parse(fixedResult.solicitedAt!) - restoredAt!).toBeLessThanOrEqual(HOUR);
  expect(solicitationsOf(fixed.workflowId)).toHaveLength(1);

  const longResult = await result(long);
  expect(longResult.outcome).toBe('expired');
  expect(longResult.reason).toMatch(
    /while the order was blocked: getSolicitationActionsForOrder: LWA refused seller A7LONG/,
  );
  const runs = await runsOf(long, firstRunId);
  const longest = Math.max(...runs.map((run) => run.events));
  const total = runs.reduce((sum, run) => sum + run.events, 0);
  // The figure the contract's history bound is judged by.
  console.log(
    `history of an order blocked for 30 days: ${runs.length} runs, at most ${longest} events each, ${total} in all`,
  );
  expect(runs.length).toBeGreaterThan(1);
  expect(longest).toBeLessThanOrEqual(1_100);
  // Visibility counts the order once: only the run that ended says its phase.
  const phases = await Promise.all(
    runs.map(async ({ runId }) =>
      (await h.env.client.workflow.getHandle(long.workflowId, runId).describe()).typedSearchAttributes.get(
        searchAttributes.phase,
      ),
    ),
  );
  expect(phases).toEqual([...runs.slice(1).map(() => undefined), 'expired']);
  await recordHistory(long, 'blocked-continued-as-new', runs[0]!.runId);
});
