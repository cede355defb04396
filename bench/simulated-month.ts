import type { WorkflowHandle } from '@temporalio/client';
import type { ReviewSolicitationResult } from '../src/domain/contract';
import { policyFromEnv } from '../src/config/policy';
import { parseOrderChangeNotification } from '../src/ingest/notification';
import { decideOrder } from '../src/ingest/order';
import { startOrder, type StartOutcome } from '../src/orders/start';
import type { ReviewSolicitationInput } from '../src/domain/contract';
import { solicitationWindow } from '../src/domain/window';
import { createLogger } from '../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../src/simulator';
import { spApiClientsFromEnv } from '../src/spapi/from-env';
import { runSolicitationWorkers } from '../src/workers/worker';
import { orderChange } from '../test/fixtures/notifications';
import { followServerTime, serverClock } from '../test/helpers/server-clock';
import { createTimeSkippingEnv } from '../test/helpers/temporal';
import type { Cleanup } from './cleanup';
import {
  amazonDelivery,
  amazonWindow,
  monthOfOrders,
  seededRandom,
  type AmazonWindowRule,
  type MonthOrder,
  type MonthShape,
} from './month-orders';
import { temporalActions } from './temporal-actions';
import { percentile, round } from './stats';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const TASK_QUEUE = 'review-solicitations';
const MARKETPLACE = 'ATVPDKIKX0DER';
const PROGRESS_EVERY = 5 * DAY;
/** Amazon sends several notifications per order: each order's Shipped notification comes this many times. */
export const NOTIFICATIONS_PER_ORDER = 3;
/** The policy `solicit ingest` gives new orders with no SOLICIT_* variable set. */
const NEW_ORDERS_POLICY = policyFromEnv({});
/** SP-API_MAX_RPS's default: Amazon's 1 request/s per seller for each Solicitations operation. */
const SPAPI_MAX_RPS = 1;

export interface MonthOptions {
  shape: MonthShape;
  seed: number;
  /** Orders are started (their Shipped notification handled) at the end of each step of server time. */
  stepMs: number;
  progress: (line: string) => void;
  /** What Amazon's window follows: the actual delivery, or the promised dates. */
  rule: AmazonWindowRule;
}

export interface MonthReport {
  figures: {
    solicited_exactly_once_ratio: number;
    solicitations_outside_window: number;
    duplicate_solicitations: number;
    spapi_calls_per_solicited_order: number;
    spapi_calls_on_solicited_orders_each: number;
    spapi_calls_per_solicited_order_floor: number;
    history_events_per_order_p50: number;
    history_events_per_order_p99: number;
    solicit_delay_hours_p50: number;
    temporal_actions_per_solicited_order_p50: number;
    temporal_actions_per_solicited_order_p99: number;
    max_solicited_orders_per_seller_day: number;
    spapi_calls_per_never_offered_order: number;
    temporal_actions_per_never_offered_order: number;
    signals_per_order_p50: number;
    herd_checks_in_busiest_second: number;
  };
  /** How the repeated notifications were handled (`startOrder`'s outcomes). */
  repeats: Record<string, number>;
  outcomes: Record<string, number>;
  /** Orders whose real window was open for at least a day of the simulated period: the ratio's denominator. */
  eligibleOrders: number;
  byChannel: { channel: string; orders: number; solicited: number; checksP50: number; delayHoursP50: number }[];
  spApi: { requests: number; throttled: number; tokenRequests: number };
  simulatedDays: number;
  wallSeconds: number;
}

/**
 * A month of shipped orders under the time-skipping server: each order is started through the product's
 * ingest path (parse, decide, startOrder) at its ship time, the product's workers run against the SP-API
 * simulator with the real clients, and the simulator answers from each order's actual delivery, which
 * the workflow never sees (it knows the promised window, or for FBA orders only the ship time).
 */
export async function simulatedMonth(options: MonthOptions, cleanup: Cleanup): Promise<MonthReport> {
  const wallStart = Date.now();
  const env = await createTimeSkippingEnv();
  cleanup.add(() => env.teardown());
  const clock = await serverClock(env);
  const simulator = await startSpApiSimulator({ now: clock.now });
  cleanup.add(() => simulator.close());
  const { solicitations } = spApiClientsFromEnv(simulator.env(), { now: clock.nowMs });

  const stop = new AbortController();
  const workers = runSolicitationWorkers({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    solicitations: followServerTime(solicitations, clock),
    logger: createLogger('error'),
    now: clock.nowMs,
    maxSpApiRequestsPerSecond: 1,
    signal: stop.signal,
  });
  void workers.catch(() => undefined);
  cleanup.add(async () => {
    stop.abort();
    await workers.catch(() => undefined);
  });

  const startMs = await clock.refresh();
  const orders = monthOfOrders(options.shape, startMs, seededRandom(options.seed), seededRandom(options.seed + 1));
  for (const order of orders) addToSimulator(simulator, order, options.rule);

  const handles = new Map<string, WorkflowHandle>();
  // Each order's notification again at each of the next steps, as Amazon and reconciliation repeat it.
  const repeats: MonthOrder[][] = [];
  const repeatOutcomes: Record<string, number> = {};
  let next = 0;
  for (let step = 1; next < orders.length || repeats.some((due) => due.length > 0); step++) {
    const stepEnd = startMs + step * options.stepMs;
    const now = await env.currentTimeMs();
    if (stepEnd > now) await env.sleep(stepEnd - now);
    const shippedBy = await env.currentTimeMs();
    for (const order of repeats.shift() ?? []) {
      const outcome = await startFromNotification(env.client, order);
      repeatOutcomes[outcome] = (repeatOutcomes[outcome] ?? 0) + 1;
    }
    for (; next < orders.length && orders[next]!.shippedAt <= shippedBy; next++) {
      const order = orders[next]!;
      const outcome = await startFromNotification(env.client, order);
      if (outcome !== 'started') throw new Error(`order ${order.amazonOrderId}: ${outcome}`);
      handles.set(order.amazonOrderId, env.client.workflow.getHandle(order.amazonOrderId));
      for (let k = 0; k < NOTIFICATIONS_PER_ORDER - 1; k++) (repeats[k] ??= []).push(order);
    }
    if ((step * options.stepMs) % PROGRESS_EVERY === 0) {
      const day = (step * options.stepMs) / DAY;
      options.progress(`  day ${day}: ${next} orders started, ${simulator.solicitations.length} solicited`);
    }
  }

  // Awaiting a result lets the server skip time; one at a time, in the order the windows open.
  const results = new Map<string, ReviewSolicitationResult>();
  const realWindow = (order: MonthOrder) => amazonWindow(order, options.rule);
  const byOpening = [...orders].sort((a, b) => realWindow(a).opens - realWindow(b).opens);
  for (const [i, order] of byOpening.entries()) {
    results.set(order.amazonOrderId, (await handles.get(order.amazonOrderId)!.result()) as ReviewSolicitationResult);
    if ((i + 1) % 200 === 0) options.progress(`  ${i + 1} orders closed`);
  }
  // Observed until every real window has been open for a day, so that each order counts in the ratio.
  const lastOpening = Math.max(...orders.map((order) => realWindow(order).opens));
  const closedAt = await env.currentTimeMs();
  if (closedAt < lastOpening + DAY) await env.sleep(lastOpening + DAY - closedAt);
  const endMs = await env.currentTimeMs();

  const histories: Histories = {
    historyLengths: [],
    solicitedActions: [],
    neverOfferedActions: [],
    signals: [],
    herdChecksScheduled: [],
  };
  const neverOffered = new Set(orders.filter((order) => order.neverOffered).map((order) => order.amazonOrderId));
  const herd = new Set(orders.filter((order) => order.herd).map((order) => order.amazonOrderId));
  for (const handle of handles.values()) {
    const events = (await handle.fetchHistory()).events ?? [];
    histories.historyLengths.push(events.length);
    if (results.get(handle.workflowId)?.outcome === 'solicited')
      histories.solicitedActions.push(temporalActions(events));
    if (neverOffered.has(handle.workflowId)) histories.neverOfferedActions.push(temporalActions(events));
    histories.signals.push(events.filter((event) => event.workflowExecutionSignaledEventAttributes).length);
    if (herd.has(handle.workflowId)) {
      for (const event of events) {
        if (event.activityTaskScheduledEventAttributes) histories.herdChecksScheduled.push(eventSecond(event));
      }
    }
  }

  const report = measure(orders, results, histories, simulator, endMs, realWindow);
  return {
    ...report,
    repeats: repeatOutcomes,
    simulatedDays: round((endMs - startMs) / DAY, 1),
    wallSeconds: (Date.now() - wallStart) / 1000,
  };
}

/** Amazon's order book: its window opens 5 days after the earliest delivery it knows, closes 30 days after the latest. */
function addToSimulator(simulator: SpApiSimulator, order: MonthOrder, rule: AmazonWindowRule): void {
  const delivery = amazonDelivery(order, rule);
  simulator.addOrder({
    amazonOrderId: order.amazonOrderId,
    marketplaceId: MARKETPLACE,
    earliestDeliveryDate: new Date(delivery.earliest),
    latestDeliveryDate: new Date(delivery.latest),
    fulfilledBy: order.channel === 'MFN' ? 'MERCHANT' : 'AMAZON',
    createdTime: new Date(order.shippedAt - DAY),
    shipTime: new Date(order.shippedAt),
  });
  if (order.emptyOnce) simulator.emptyActionsOnce(order.amazonOrderId);
  if (order.neverOffered) simulator.emptyActionsOnce(order.amazonOrderId, Number.POSITIVE_INFINITY);
}

/** The second (epoch) an event was recorded in, by the server's clock. */
function eventSecond(event: { eventTime?: { seconds?: unknown } | null }): number {
  return Number(event.eventTime?.seconds ?? 0);
}

/** The order's Shipped notification, through the same parse, decision and start path as `solicit ingest`. */
function startFromNotification(client: Parameters<typeof startOrder>[0], order: MonthOrder): Promise<StartOutcome> {
  return startOrder(client, TASK_QUEUE, inputFromNotification(order));
}

/** The workflow input `solicit ingest` makes of the order's Shipped notification. */
function inputFromNotification(order: MonthOrder): ReviewSolicitationInput {
  const shipped = new Date(order.shippedAt).toISOString();
  const document = orderChange({
    amazonOrderId: order.amazonOrderId,
    sellerId: 'A1SIMULATEDSELLER',
    marketplaceId: MARKETPLACE,
    fulfillmentType: order.channel,
    eventTime: shipped,
    timeOfOrderChange: shipped,
    ...(order.promised && {
      deliveryDates: {
        earliest: new Date(order.promised.earliest).toISOString(),
        latest: new Date(order.promised.latest).toISOString(),
      },
    }),
  });
  const parsed = parseOrderChangeNotification(JSON.stringify(document));
  if (!parsed.ok) throw new Error(`generated notification rejected: ${parsed.reason}`);
  const decision = decideOrder(parsed.notification, NEW_ORDERS_POLICY);
  if (decision.action !== 'start') throw new Error(`generated notification not started: ${decision.action}`);
  return decision.input;
}

/**
 * The fewest SP-API calls docs/spec.md "Eligibility checks" allows a solicited order, knowing when Amazon
 * opens its window: the first check is at `solicitAfter` whatever the schedule, so an order whose real
 * window opens later pays for it, then one check that finds the action offered (two for an order Amazon
 * answers empty once), then the send.
 */
function fewestCallsToSolicit(order: MonthOrder, realOpening: number): number {
  const input = inputFromNotification(order);
  const { solicitAfter } = solicitationWindow(input, input.policy);
  return (realOpening > solicitAfter ? 1 : 0) + (order.emptyOnce ? 1 : 0) + 2;
}

interface Histories {
  historyLengths: number[];
  solicitedActions: number[];
  neverOfferedActions: number[];
  /** `orderUpdated` signals each workflow received. */
  signals: number[];
  /** The second each SP-API activity of the herd's orders was scheduled in. */
  herdChecksScheduled: number[];
}

function measure(
  orders: MonthOrder[],
  results: Map<string, ReviewSolicitationResult>,
  histories: Histories,
  simulator: SpApiSimulator,
  endMs: number,
  realWindow: (order: MonthOrder) => { opens: number; closes: number },
): Omit<MonthReport, 'simulatedDays' | 'wallSeconds' | 'repeats'> {
  const SOLICIT = 'createProductReviewAndSellerFeedbackSolicitation';
  const sentTo = groupBy(simulator.solicitations, (s) => s.amazonOrderId);
  const postsTo = groupBy(
    simulator.requests.filter((r) => r.operation === SOLICIT),
    (r) => r.amazonOrderId ?? '',
  );
  const checksOf = groupBy(
    simulator.requests.filter((r) => r.operation === 'getSolicitationActionsForOrder' && r.status === 200),
    (r) => r.amazonOrderId ?? '',
  );

  const eligible = orders.filter(
    (order) => !order.neverOffered && Math.min(realWindow(order).closes, endMs) - realWindow(order).opens >= DAY,
  );
  const exactlyOnce = eligible.filter((order) => sentTo.get(order.amazonOrderId)?.length === 1);
  let outside = 0;
  let duplicates = 0;
  const delays = new Map<string, number>();
  for (const order of orders) {
    const { opens, closes } = realWindow(order);
    const posts = postsTo.get(order.amazonOrderId) ?? [];
    outside += posts.filter((post) => post.at.getTime() < opens || post.at.getTime() >= closes).length;
    // A second send to an order Amazon already solicited: counted whether or not Amazon refused it.
    const firstSent = posts.findIndex((post) => post.status === 201);
    if (firstSent >= 0) duplicates += posts.length - firstSent - 1;
    const sent = sentTo.get(order.amazonOrderId) ?? [];
    duplicates += Math.max(0, sent.length - 1);
    if (sent[0]) delays.set(order.amazonOrderId, (sent[0].at.getTime() - opens) / HOUR);
  }
  const solicitedOrders = orders.filter((order) => sentTo.has(order.amazonOrderId)).length;
  const requestsTo = groupBy(simulator.requests, (r) => r.amazonOrderId ?? '');
  const callsTo = (of: MonthOrder[]) =>
    of.reduce((sum, order) => sum + (requestsTo.get(order.amazonOrderId)?.length ?? 0), 0);
  const callsPerSolicited = callsTo(orders.filter((order) => sentTo.has(order.amazonOrderId))) / solicitedOrders;
  const neverOfferedOrders = orders.filter((order) => order.neverOffered);
  // The never-offered orders' calls are the contract's schedule to the last check: counted as made.
  const fewestCalls =
    orders
      .filter((order) => sentTo.has(order.amazonOrderId))
      .reduce((sum, order) => sum + fewestCallsToSolicit(order, realWindow(order).opens), 0) +
    callsTo(neverOfferedOrders);
  const checksPerSecond = new Map<number, number>();
  for (const second of histories.herdChecksScheduled)
    checksPerSecond.set(second, (checksPerSecond.get(second) ?? 0) + 1);

  const outcomes: Record<string, number> = {};
  for (const result of results.values()) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;

  const byChannel = (['MFN', 'AFN'] as const).map((channel) => {
    const of = orders.filter((order) => order.channel === channel);
    return {
      channel,
      orders: of.length,
      solicited: of.filter((order) => sentTo.has(order.amazonOrderId)).length,
      checksP50: percentile(
        of.map((order) => checksOf.get(order.amazonOrderId)?.length ?? 0),
        50,
      ),
      delayHoursP50: round(
        percentile(
          of.flatMap((order) => delays.get(order.amazonOrderId) ?? []),
          50,
        ),
        1,
      ),
    };
  });

  return {
    figures: {
      solicited_exactly_once_ratio: round(exactlyOnce.length / eligible.length, 4),
      solicitations_outside_window: outside,
      duplicate_solicitations: duplicates,
      // Every call of the month, the never-offered orders' too, per order solicited: what a seller pays for one.
      spapi_calls_per_solicited_order: round(simulator.requests.length / solicitedOrders, 2),
      // The calls made to the solicited orders themselves.
      spapi_calls_on_solicited_orders_each: round(callsPerSolicited, 2),
      // The least the first figure can be under the contract's schedule, for this month's orders.
      spapi_calls_per_solicited_order_floor: round(fewestCalls / solicitedOrders, 2),
      history_events_per_order_p50: percentile(histories.historyLengths, 50),
      history_events_per_order_p99: percentile(histories.historyLengths, 99),
      solicit_delay_hours_p50: round(percentile([...delays.values()], 50), 1),
      temporal_actions_per_solicited_order_p50: percentile(histories.solicitedActions, 50),
      temporal_actions_per_solicited_order_p99: percentile(histories.solicitedActions, 99),
      // Every call of the month counts against the seller's allowance, the never-offered orders' too.
      max_solicited_orders_per_seller_day: Math.floor(
        (86_400 * SPAPI_MAX_RPS) / (simulator.requests.length / solicitedOrders),
      ),
      spapi_calls_per_never_offered_order: round(callsTo(neverOfferedOrders) / neverOfferedOrders.length, 2),
      temporal_actions_per_never_offered_order: percentile(histories.neverOfferedActions, 50),
      signals_per_order_p50: percentile(histories.signals, 50),
      herd_checks_in_busiest_second: Math.max(0, ...checksPerSecond.values()),
    },
    outcomes,
    eligibleOrders: eligible.length,
    byChannel,
    spApi: {
      requests: simulator.requests.length,
      throttled: simulator.requests.filter((r) => r.status === 429).length,
      tokenRequests: simulator.tokenRequests.length,
    },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
