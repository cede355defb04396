import type { UsagePlan } from './token-bucket';

export type FulfillmentStatus =
  'PENDING_AVAILABILITY' | 'PENDING' | 'UNSHIPPED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'CANCELLED' | 'UNFULFILLABLE';

export const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = [
  'PENDING_AVAILABILITY',
  'PENDING',
  'UNSHIPPED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'CANCELLED',
  'UNFULFILLABLE',
];

export const SIMULATED_OPERATIONS = [
  'getSolicitationActionsForOrder',
  'createProductReviewAndSellerFeedbackSolicitation',
  'getDestinations',
  'createDestination',
  'getSubscription',
  'createSubscription',
  'deleteSubscriptionById',
  'searchOrders',
  'rotateApplicationClientSecret',
] as const;
export type SimulatedOperation = (typeof SIMULATED_OPERATIONS)[number];

/** The usage plans of Amazon's models. */
export const DEFAULT_USAGE_PLANS: Readonly<Record<SimulatedOperation, UsagePlan>> = {
  getSolicitationActionsForOrder: { ratePerSecond: 1, burst: 5 },
  createProductReviewAndSellerFeedbackSolicitation: { ratePerSecond: 1, burst: 5 },
  getDestinations: { ratePerSecond: 1, burst: 5 },
  createDestination: { ratePerSecond: 1, burst: 5 },
  getSubscription: { ratePerSecond: 1, burst: 5 },
  createSubscription: { ratePerSecond: 1, burst: 5 },
  deleteSubscriptionById: { ratePerSecond: 1, burst: 5 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
  rotateApplicationClientSecret: { ratePerSecond: 0.0167, burst: 1 },
};

export interface SimulatedOrderInput {
  amazonOrderId: string;
  marketplaceId: string;
  /** Defaults to the simulator's first seller. */
  sellerId?: string;
  earliestDeliveryDate: string | Date;
  latestDeliveryDate: string | Date;
  /** Defaults to SHIPPED: Amazon offers the solicitation for shipped orders only. */
  fulfillmentStatus?: FulfillmentStatus;
  fulfilledBy?: 'MERCHANT' | 'AMAZON';
  /** Defaults to three days before the earliest delivery date. */
  createdTime?: string | Date;
  /** Defaults to a day after `createdTime`. */
  shipTime?: string | Date;
  /** Defaults to `shipTime`. */
  lastUpdatedTime?: string | Date;
}

export interface SimulatedOrder {
  amazonOrderId: string;
  marketplaceId: string;
  sellerId: string;
  earliestDeliveryDate: Date;
  latestDeliveryDate: Date;
  fulfillmentStatus: FulfillmentStatus;
  fulfilledBy: 'MERCHANT' | 'AMAZON';
  createdTime: Date;
  shipTime: Date;
  lastUpdatedTime: Date;
  /** Amazon's window: 5 days after the earliest delivery date ... */
  solicitAfter: Date;
  /** ... until 30 days after the latest one. */
  solicitBefore: Date;
}

export interface RecordedRequest {
  /** By the simulator's clock. */
  at: Date;
  /** `unknown` for a path Amazon does not serve. */
  operation: SimulatedOperation | 'unknown';
  method: string;
  path: string;
  status: number;
  amazonOrderId?: string;
  sellerId?: string;
}

export interface RecordedTokenRequest {
  at: Date;
  grantType: string;
  status: number;
  sellerId?: string;
}

export interface RecordedSolicitation {
  amazonOrderId: string;
  marketplaceId: string;
  sellerId: string;
  at: Date;
}

export interface SimulatedDestination {
  destinationId: string;
  name: string;
  resource: { sqs: { arn: string } };
}

export interface SimulatedSubscription {
  sellerId: string;
  notificationType: string;
  subscriptionId: string;
  payloadVersion: string;
  destinationId: string;
  processingDirective?: unknown;
}

/** A knob: the next `remaining` matching requests answer `status`. */
export interface InjectedFailure {
  remaining: number;
  status: 429 | 500 | 503;
  operation?: SimulatedOperation;
  amazonOrderId?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function toOrder(input: SimulatedOrderInput, defaultSellerId: string): SimulatedOrder {
  const earliestDeliveryDate = date(input.earliestDeliveryDate, 'earliestDeliveryDate');
  const latestDeliveryDate = date(input.latestDeliveryDate, 'latestDeliveryDate');
  const createdTime =
    input.createdTime === undefined
      ? new Date(earliestDeliveryDate.getTime() - 3 * DAY_MS)
      : date(input.createdTime, 'createdTime');
  const shipTime =
    input.shipTime === undefined ? new Date(createdTime.getTime() + DAY_MS) : date(input.shipTime, 'shipTime');
  return {
    amazonOrderId: input.amazonOrderId,
    marketplaceId: input.marketplaceId,
    sellerId: input.sellerId ?? defaultSellerId,
    earliestDeliveryDate,
    latestDeliveryDate,
    fulfillmentStatus: input.fulfillmentStatus ?? 'SHIPPED',
    fulfilledBy: input.fulfilledBy ?? 'MERCHANT',
    createdTime,
    shipTime,
    lastUpdatedTime: input.lastUpdatedTime === undefined ? shipTime : date(input.lastUpdatedTime, 'lastUpdatedTime'),
    solicitAfter: new Date(earliestDeliveryDate.getTime() + 5 * DAY_MS),
    solicitBefore: new Date(latestDeliveryDate.getTime() + 30 * DAY_MS),
  };
}

function date(value: string | Date, name: string): Date {
  const parsed = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`addOrder: ${name} is not a date`);
  return parsed;
}
