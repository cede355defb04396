import type { Phase } from '../domain/contract';
import type { SimulatedOrderInput } from '../simulator';
import { orderChangeDocument, type OrderChangeDocument } from './order-change';

/**
 * The demo of `solicit dev`: six orders whose dates, relative to the moment they are fed, put each in a phase
 * an operator meets (docs/spec.md, "Workflow contract"), each told twice: by ORDER_CHANGE notifications as Amazon
 * sends them to the queue, and by the order Amazon itself knows, which the SP-API simulator answers from.
 */
export interface DemoOrder {
  amazonOrderId: string;
  /** The phase the order settles in within seconds of being fed. */
  phase: Phase;
  /** One line on why it is in that phase. */
  story: string;
  /** Sent in this order, each once the previous one has reached Temporal. */
  notifications: OrderChangeDocument[];
  /** The order as Amazon knows it: its solicitation window may differ from the notification's dates. */
  amazon: SimulatedOrderInput;
}

const DEMO_MARKETPLACE_ID = 'ATVPDKIKX0DER';

const DAY_MS = 24 * 60 * 60 * 1000;

interface DemoShape {
  amazonOrderId: string;
  phase: Phase;
  story: string;
  fulfillment: 'MFN' | 'AFN';
  /** Days before the feed that the order shipped. */
  shippedDaysAgo: number;
  /** Delivery window in days from the feed, as the notification gives it (FBA notifications give none). */
  delivery?: [earliest: number, latest: number];
  /** Delivery window in days from the feed as Amazon knows it, when it differs from the notification's. */
  amazonDelivery?: [earliest: number, latest: number];
  canceled?: boolean;
}

// Amazon's order ID format (3-7-7 digits); the 900 prefix and the running number make them easy to spot.
export const DEMO = {
  solicited: '900-0000000-0000001',
  waiting: '900-0000000-0000002',
  notOffered: '900-0000000-0000003',
  expired: '900-0000000-0000004',
  fba: '900-0000000-0000005',
  cancelled: '900-0000000-0000006',
} as const;

const SHAPES: DemoShape[] = [
  {
    amazonOrderId: DEMO.solicited,
    phase: 'solicited',
    story: 'delivered 10 days ago: the window is open and Amazon offers the request, sent within seconds',
    fulfillment: 'MFN',
    shippedDaysAgo: 12,
    delivery: [-10, -8],
  },
  {
    amazonOrderId: DEMO.waiting,
    phase: 'waiting',
    story: "delivery due tomorrow: sleeps until Amazon's window opens 5 days after it",
    fulfillment: 'MFN',
    shippedDaysAgo: 1,
    delivery: [1, 3],
  },
  {
    amazonOrderId: DEMO.notOffered,
    phase: 'waiting',
    story: 'window open by its dates, but Amazon does not offer the request yet: checked again every day',
    fulfillment: 'MFN',
    shippedDaysAgo: 9,
    delivery: [-7, -5],
    // The parcel arrived later than the notification said, so Amazon's own window opens in 2 days.
    amazonDelivery: [-3, -1],
  },
  {
    amazonOrderId: DEMO.expired,
    phase: 'expired',
    story: 'delivered 40 days ago: the window closed before the order reached the product',
    fulfillment: 'MFN',
    shippedDaysAgo: 42,
    delivery: [-40, -38],
  },
  {
    amazonOrderId: DEMO.fba,
    phase: 'waiting',
    story: 'FBA, no delivery dates: the window is estimated from the ship time',
    fulfillment: 'AFN',
    shippedDaysAgo: 3,
    amazonDelivery: [-1, 1],
  },
  {
    amazonOrderId: DEMO.cancelled,
    phase: 'cancelled',
    story: 'shipped, then a Canceled notification: ends without a request',
    fulfillment: 'MFN',
    shippedDaysAgo: 1,
    delivery: [2, 4],
    canceled: true,
  },
];

export const DEMO_ORDER_IDS: readonly string[] = SHAPES.map((shape) => shape.amazonOrderId);

/** The demo orders as fed at `feedAt`. */
export function demoOrders(feedAt: Date, sellerId: string): DemoOrder[] {
  const at = (days: number) => new Date(feedAt.getTime() + days * DAY_MS);
  return SHAPES.map((shape) => {
    const shippedAt = at(-shape.shippedDaysAgo);
    const delivery = shape.delivery && { earliest: at(shape.delivery[0]), latest: at(shape.delivery[1]) };
    const amazonDelivery = shape.amazonDelivery ?? shape.delivery!;
    const order = {
      amazonOrderId: shape.amazonOrderId,
      sellerId,
      fulfillment: shape.fulfillment,
      purchasedAt: new Date(shippedAt.getTime() - DAY_MS),
      delivery,
    };
    const notifications = [orderChange({ ...order, status: 'Shipped', changedAt: shippedAt })];
    if (shape.canceled) notifications.push(orderChange({ ...order, status: 'Canceled', changedAt: feedAt }));
    return {
      amazonOrderId: shape.amazonOrderId,
      phase: shape.phase,
      story: shape.story,
      notifications,
      amazon: {
        amazonOrderId: shape.amazonOrderId,
        marketplaceId: DEMO_MARKETPLACE_ID,
        sellerId,
        earliestDeliveryDate: at(amazonDelivery[0]),
        latestDeliveryDate: at(amazonDelivery[1]),
        fulfillmentStatus: shape.canceled ? 'CANCELLED' : 'SHIPPED',
        fulfilledBy: shape.fulfillment === 'AFN' ? 'AMAZON' : 'MERCHANT',
        createdTime: order.purchasedAt,
        shipTime: shippedAt,
      },
    };
  });
}

/** When the demo was fed, from one demo order's ship time as its workflow was started with. */
export function demoFeedTime(amazonOrderId: string, shippedAt: string): Date | undefined {
  const shape = SHAPES.find((candidate) => candidate.amazonOrderId === amazonOrderId);
  return shape && new Date(Date.parse(shippedAt) + shape.shippedDaysAgo * DAY_MS);
}

interface OrderChange {
  amazonOrderId: string;
  sellerId: string;
  fulfillment: 'MFN' | 'AFN';
  status: 'Shipped' | 'Canceled';
  purchasedAt: Date;
  changedAt: Date;
  delivery: { earliest: Date; latest: Date } | undefined;
}

function orderChange(order: OrderChange): OrderChangeDocument {
  return orderChangeDocument({
    amazonOrderId: order.amazonOrderId,
    sellerId: order.sellerId,
    marketplaceId: DEMO_MARKETPLACE_ID,
    orderStatus: order.status,
    fulfillmentType: order.fulfillment,
    purchasedAt: order.purchasedAt.toISOString(),
    // Amazon publishes a notification a few seconds after the change.
    eventTime: new Date(order.changedAt.getTime() + 3000).toISOString(),
    timeOfOrderChange: order.changedAt.toISOString(),
    deliveryDates: order.delivery && {
      earliest: order.delivery.earliest.toISOString(),
      latest: order.delivery.latest.toISOString(),
    },
    orderItemId: order.amazonOrderId.replace(/-/g, '').slice(-14),
    sellerSku: 'DEMO-MUG-BLUE',
    quantity: 1,
    applicationId: 'amzn1.sellerapps.app.solicit-dev-demo',
    subscriptionId: 'solicit-dev-demo',
  });
}
