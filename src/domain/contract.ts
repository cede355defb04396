/**
 * The product's public Temporal contract (docs/spec.md, "Workflow contract"): names that operators type,
 * dashboards filter on and weeks-old workflows were started with. Imported by the workflow, the
 * activities, the client side (ingest, CLI) and the tests, so that each name is written once.
 *
 * Safe inside the workflow sandbox: it imports nothing but Temporal's definition helpers.
 */
import { defineSearchAttributeKey, SearchAttributeType, type Duration } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const DEFAULT_TASK_QUEUE = 'review-solicitations';
export const WORKFLOW_TYPE = 'reviewSolicitation';

/**
 * SP-API activities run on their own task queue so that the server's per-fairness-key rate limit
 * (src/temporal/spapi-task-queue.ts) paces every SP-API call of a deployment, whatever the number of
 * workers. Derived from the workflow's task queue so that a running order keeps its pairing.
 */
export function spApiTaskQueue(workflowTaskQueue: string): string {
  return `${workflowTaskQueue}-spapi`;
}

export type FulfillmentChannel = 'MFN' | 'AFN';

/**
 * Timing rules in force when an order was started. Carried in the workflow input so that a later
 * configuration change never alters a running order's history. Durations are Temporal duration
 * strings ('5 days', '24h') so they read plainly in the Web UI.
 */
export interface SolicitationPolicy {
  /** Amazon opens the window this long after the earliest delivery date. */
  windowOpensAfterEarliestDelivery: Duration;
  /** Amazon closes the window this long after the latest delivery date. */
  windowClosesAfterLatestDelivery: Duration;
  /** Without delivery dates (FBA), the earliest delivery is estimated as ship time plus this. */
  estimatedEarliestDeliveryAfterShip: Duration;
  /** Without delivery dates (FBA), the latest delivery is estimated as ship time plus this. */
  estimatedLatestDeliveryAfterShip: Duration;
  /** While Amazon does not offer the action, check again after this long. */
  recheckInterval: Duration;
  /**
   * `SOLICIT_DRY_RUN`: check eligibility on the schedule but never send; where it would send, the order
   * ends `dry-run`. Optional: absent (older orders) means false, orders send.
   */
  dryRun?: boolean;
  /**
   * `SOLICIT_SEND_HOURS`: checks and sends only from `from` to `to` ('HH:MM', 24-hour clock, `to`
   * excluded; earlier than `from` for hours that run overnight) in the marketplace's local time
   * (src/domain/marketplace-zones.ts). Optional: absent (older orders) means any time.
   */
  sendHours?: { from: string; to: string };
  /** When eligibility checks fall (src/domain/check-schedule.ts); absent: `daily`, the first schedule. */
  checkSchedule?: CheckSchedule;
  /**
   * With the `window-aware` schedule: once Amazon's window is surely open, re-checks come 1, 2, 4... intervals
   * apart, never more than this apart, plus one last check on the window's final day. Optional: absent (older
   * orders) means a re-check every interval until the window closes.
   */
  maxRecheckGap?: Duration;
  /**
   * `SOLICIT_SPREAD`: every scheduled check is shifted by a stable offset in [0, spread) derived from the order
   * ID (src/domain/spread.ts). Optional: absent (older orders) means no shift.
   */
  spread?: Duration;
  /**
   * One SP-API activity per check, which sends when Amazon offers, and no Solicitations call beginning less
   * than `LAST_CALL_MARGIN_MS` before the window closes. Optional: absent (older orders) means a check
   * activity, then a send activity, until the window closes.
   */
  checkAndSend?: boolean;
}

/** `daily`: at the opening, then every re-check interval. `window-aware`: fewer calls for the same outcome. */
export type CheckSchedule = 'daily' | 'window-aware';

/**
 * No Solicitations call begins later than this before the window closes (docs/spec.md "Eligibility checks"):
 * a call that Amazon would receive after its window closed could only fail or, worse, be refused as sent.
 */
export const LAST_CALL_MARGIN_MS = 30_000;

export const DEFAULT_POLICY: SolicitationPolicy = {
  windowOpensAfterEarliestDelivery: '5 days',
  windowClosesAfterLatestDelivery: '30 days',
  estimatedEarliestDeliveryAfterShip: '1 day',
  estimatedLatestDeliveryAfterShip: '10 days',
  recheckInterval: '24 hours',
};

/** The workflow's one argument. Dates are ISO-8601 strings. Holds no secret. */
export interface ReviewSolicitationInput {
  amazonOrderId: string;
  marketplaceId: string;
  sellerId: string;
  fulfillmentChannel: FulfillmentChannel;
  shippedAt: string;
  earliestDeliveryDate?: string;
  latestDeliveryDate?: string;
  policy: SolicitationPolicy;
  /**
   * What the run before this one knew, when an order blocked for long continued as new to keep its history
   * short. Absent in an order's first run.
   */
  carriedOver?: CarriedOver;
}

/** The state a long-blocked order hands to its next run (its dates travel in the input's own fields). */
export interface CarriedOver {
  checks: number;
  /** When the last regular eligibility check began, ISO-8601. */
  lastRegularCheckAt?: string;
  /** The time of change of the last notification applied (`orderUpdated.changedAt`), ISO-8601. */
  lastChangeAt?: string;
  /** When the first run first decided what to do, ISO-8601. */
  firstDecisionAt?: string;
  /** What blocks the order, and when the failure that blocked it came (ISO-8601). */
  blocked: { cause: string; at: string };
}

export const TERMINAL_PHASES = ['solicited', 'already-solicited', 'expired', 'cancelled', 'failed', 'dry-run'] as const;
/** `blocked`: a credential or the sellers file holds the order; it is not terminal and resumes by itself. */
export const PHASES = ['waiting', 'checking', 'blocked', ...TERMINAL_PHASES] as const;
export type Phase = (typeof PHASES)[number];
export type Outcome = (typeof TERMINAL_PHASES)[number];

export interface SolicitationStatus {
  amazonOrderId: string;
  phase: Phase;
  solicitAfter: string;
  solicitBefore: string;
  windowEstimated: boolean;
  /** Eligibility checks made so far. */
  checks: number;
  nextCheckAt?: string;
  solicitedAt?: string;
  reason?: string;
}

/** The workflow's signature, for the code that starts it without importing the workflow (src/orders). */
export type ReviewSolicitationWorkflow = (input: ReviewSolicitationInput) => Promise<ReviewSolicitationResult>;

export interface ReviewSolicitationResult {
  amazonOrderId: string;
  outcome: Outcome;
  solicitedAt?: string;
  checks: number;
  reason?: string;
}

export interface CancelSignal {
  reason?: string;
}
// Signals carry one JSON object each, so that operators can send `{}` from the Web UI or the CLI.
export type ExpediteSignal = Record<string, never>;
export interface OrderUpdatedSignal {
  orderStatus: string;
  earliestDeliveryDate?: string;
  latestDeliveryDate?: string;
  /** The notification's time of change (ISO-8601): an update older than the last one applied is ignored. */
  changedAt?: string;
}

export const cancelSignal = defineSignal<[CancelSignal]>('cancel');
export const expediteSignal = defineSignal<[ExpediteSignal]>('expedite');
export const orderUpdatedSignal = defineSignal<[OrderUpdatedSignal]>('orderUpdated');
export const statusQuery = defineQuery<SolicitationStatus>('status');

export const searchAttributes = {
  phase: defineSearchAttributeKey('SolicitationPhase', SearchAttributeType.KEYWORD),
  solicitAfter: defineSearchAttributeKey('SolicitAfter', SearchAttributeType.DATETIME),
  solicitBefore: defineSearchAttributeKey('SolicitBefore', SearchAttributeType.DATETIME),
  marketplaceId: defineSearchAttributeKey('AmazonMarketplaceId', SearchAttributeType.KEYWORD),
  sellerId: defineSearchAttributeKey('AmazonSellerId', SearchAttributeType.KEYWORD),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

/** What the SP-API activities take: the order's identity, never a credential. */
export interface OrderRef {
  amazonOrderId: string;
  marketplaceId: string;
  sellerId: string;
  /** `expedite`: an operator asked; make a real attempt even while the worker holds the credential as refused. */
  attempt?: 'expedite';
  /**
   * The last instant (ISO-8601) a Solicitations call may begin: the activity checks the time left before
   * every call. Absent in activities scheduled before it existed.
   */
  lastCallAt?: string;
}

/**
 * `ApplicationFailure` types thrown by the activities, classified once at the activity boundary.
 * The workflow's retry policies and its outcome mapping both read them from here.
 */
export const FailureType = {
  /** 429: retried after the delay Amazon's rate limit implies. */
  Throttled: 'SpApiThrottled',
  /** 5xx, network errors, timeouts: retried with backoff. */
  Transient: 'SpApiTransient',
  /** 403 "The requested solicitation is not available for this amazonOrderId." after a send. */
  AlreadySolicited: 'SolicitationNotAvailable',
  /** Amazon says the order is outside its solicitation window. */
  OutsideWindow: 'OutsideSolicitationWindow',
  /** Kept for histories recorded before credential refusals blocked orders instead of failing them. */
  Unauthorized: 'SpApiUnauthorized',
  /** Amazon refused a credential (LWA, or SP-API 403 after a token refresh): the order waits `blocked`. */
  CredentialRefused: 'SpApiCredentialRefused',
  /** The seller is not in SPAPI_SELLERS_FILE: the order waits `blocked`. */
  SellerNotConfigured: 'SellerNotConfigured',
  /** The seller is marked `paused` in SPAPI_SELLERS_FILE: the order waits `blocked`. */
  SellerPaused: 'SellerPaused',
  /** 400: a request that cannot succeed as sent. */
  InvalidInput: 'SpApiInvalidInput',
  /** Too little of the window is left to begin a Solicitations call: the order expires. */
  WindowClosing: 'SolicitationWindowClosing',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failures outside the order: it waits `blocked`, never `failed`. Their message says why in words. */
export const BLOCKING_FAILURE_TYPES: readonly FailureType[] = [
  FailureType.CredentialRefused,
  FailureType.SellerNotConfigured,
  FailureType.SellerPaused,
];

export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = [
  FailureType.AlreadySolicited,
  FailureType.OutsideWindow,
  FailureType.Unauthorized,
  FailureType.InvalidInput,
  FailureType.WindowClosing,
  ...BLOCKING_FAILURE_TYPES,
];

/**
 * The `ApplicationFailure` type a workflow fails with when its input has no computable window (a date that
 * is not an ISO-8601 date-time, a policy duration that does not parse): nothing can be checked or sent.
 */
export const INVALID_INPUT_FAILURE_TYPE = 'InvalidSolicitationInput';
