import { DEFAULT_POLICY, type ReviewSolicitationInput, type SolicitationPolicy } from '../../src/domain/contract';
import { workflowInput } from '../../src/orders/input';
import type { SimulatedOrder } from '../../src/simulator';
import type { OrderRow } from '../../src/operator/visibility';

let orders = 0;
/** An order ID in Amazon's 3-7-7 digit format, unique within the run. */
export function newOrderId(): string {
  orders += 1;
  const digits = `${process.pid}${Date.now()}${orders}`.slice(-14).padStart(14, '0');
  return `902-${digits.slice(0, 7)}-${digits.slice(7)}`;
}

export const iso = (instant: number) => new Date(instant).toISOString();

/**
 * A workflow's input for a test: by default a new seller-fulfilled order in the US marketplace, shipped
 * 1 May 2024 and delivered 3 to 6 May 2024, with the default policy. A field overridden with `undefined`
 * is left out, as Amazon leaves out an FBA order's delivery dates.
 */
export function orderInput(overrides: Partial<ReviewSolicitationInput> = {}): ReviewSolicitationInput {
  const input: ReviewSolicitationInput = {
    amazonOrderId: newOrderId(),
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: 'A2TESTSELLER01',
    fulfillmentChannel: 'MFN',
    shippedAt: '2024-05-01T00:00:00.000Z',
    earliestDeliveryDate: '2024-05-03T00:00:00.000Z',
    latestDeliveryDate: '2024-05-06T00:00:00.000Z',
    policy: DEFAULT_POLICY,
    ...overrides,
  };
  for (const key of Object.keys(input) as (keyof ReviewSolicitationInput)[]) {
    if (input[key] === undefined) delete input[key];
  }
  return input;
}

/** A seller-fulfilled order shipped at `shippedAt`, delivered between the two dates (epoch ms). */
export const mfnOrder = (shippedAt: number, earliestDelivery: number, latestDelivery: number) =>
  orderInput({
    shippedAt: iso(shippedAt),
    earliestDeliveryDate: iso(earliestDelivery),
    latestDeliveryDate: iso(latestDelivery),
  });

/** An FBA order in the UK: Amazon gives no delivery dates. */
export const afnOrder = (shippedAt: number) =>
  orderInput({
    marketplaceId: 'A1F83G8C2ARO7P',
    fulfillmentChannel: 'AFN',
    shippedAt: iso(shippedAt),
    earliestDeliveryDate: undefined,
    latestDeliveryDate: undefined,
  });

/** Amazon's window for the default order of `orderInput`: 5 to 30 days after its latest delivery date. */
export const DEFAULT_WINDOW = {
  opens: Date.parse('2024-05-08T00:00:00Z'),
  closes: Date.parse('2024-06-05T00:00:00Z'),
};

/** An order as the operator commands list it from visibility: by default waiting for its window, running. */
export function orderRow(overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    amazonOrderId: '903-1234567-1234567',
    phase: 'waiting',
    solicitAfter: '2026-06-06T00:00:00.000Z',
    solicitBefore: '2026-07-03T00:00:00.000Z',
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: 'A1',
    workflowStatus: 'RUNNING',
    ...overrides,
  };
}

/** The input ingest would build from a seller-fulfilled order the SP-API simulator holds. */
export function notifiedInput(order: SimulatedOrder, policy: SolicitationPolicy = DEFAULT_POLICY) {
  return workflowInput(
    {
      amazonOrderId: order.amazonOrderId,
      marketplaceId: order.marketplaceId,
      sellerId: order.sellerId,
      fulfillmentChannel: 'MFN',
      shippedAt: order.shipTime.toISOString(),
      earliestDeliveryDate: order.earliestDeliveryDate.toISOString(),
      latestDeliveryDate: order.latestDeliveryDate.toISOString(),
    },
    policy,
  );
}
