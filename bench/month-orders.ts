/**
 * A month of shipped orders, drawn from a seeded generator so that a run can be repeated exactly.
 */

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Amazon's window: 5 days after the earliest delivery to 30 days after the latest. */
export const WINDOW_OPENS_AFTER_DELIVERY = 5 * DAY;
export const WINDOW_CLOSES_AFTER_DELIVERY = 30 * DAY;

export interface MonthOrder {
  amazonOrderId: string;
  channel: 'MFN' | 'AFN';
  shippedAt: number;
  /** The delivery window promised to the buyer: in the MFN notification; FBA notifications carry none. */
  promised?: { earliest: number; latest: number };
  /** When the parcel really arrived, inside the promised window. Amazon's window follows this date. */
  deliveredAt: number;
  /** Amazon answers the first eligibility check inside the window with no action, as it sometimes does. */
  emptyOnce: boolean;
  /** Amazon never offers the action (a return, a buyer who opted out, an order it excludes). */
  neverOffered: boolean;
  /** One of the day of orders whose dates fall on the same day boundaries. */
  herd: boolean;
}

/** Mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MonthShape {
  orders: number;
  /** Orders ship evenly over this many days from `startMs`. */
  days: number;
  mfnShare: number;
  emptyOnceShare: number;
  /** Of the orders above, those Amazon never offers (drawn from a generator of their own). */
  neverOfferedShare: number;
  /**
   * Besides the orders above: seller-fulfilled orders shipped during day `day`, all promised for delivery
   * between the same two midnights (UTC), 2 and 4 days later.
   */
  herd: { orders: number; day: number };
}

export const MONTH: MonthShape = {
  orders: 1000,
  days: 30,
  mfnShare: 0.7,
  emptyOnceShare: 0.05,
  neverOfferedShare: 0.1,
  herd: { orders: 200, day: 10 },
};

/**
 * Seller-fulfilled orders promise delivery 1 to 3 days after shipping, within a span of 1 to 6 days; FBA
 * orders arrive 1 to 4 days after shipping. Each parcel arrives at a uniformly drawn instant of its window.
 */
export function monthOfOrders(
  shape: MonthShape,
  startMs: number,
  random: () => number,
  neverOfferedRandom: () => number,
): MonthOrder[] {
  const between = (low: number, high: number) => low + random() * (high - low);
  const orders = Array.from({ length: shape.orders }, (_, i): MonthOrder => {
    const shippedAt = Math.round(startMs + between(0, shape.days * DAY));
    const amazonOrderId = `901-${String(i).padStart(7, '0')}-${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
    const emptyOnce = random() < shape.emptyOnceShare;
    // A generator of its own, so that the month's other orders stay the ones they were.
    const neverOffered = neverOfferedRandom() < shape.neverOfferedShare;
    const common = { amazonOrderId, shippedAt, emptyOnce, neverOffered, herd: false };
    if (random() < shape.mfnShare) {
      const earliest = Math.round(shippedAt + between(1 * DAY, 3 * DAY));
      const latest = Math.round(earliest + between(1 * DAY, 6 * DAY));
      const deliveredAt = Math.round(between(earliest, latest));
      return { ...common, channel: 'MFN', promised: { earliest, latest }, deliveredAt };
    }
    const deliveredAt = Math.round(shippedAt + between(1 * DAY, 4 * DAY));
    return { ...common, channel: 'AFN', deliveredAt };
  });
  const herdDay = Math.floor((startMs + shape.herd.day * DAY) / DAY) * DAY;
  const herd = Array.from({ length: shape.herd.orders }, (_, i): MonthOrder => {
    const promised = { earliest: herdDay + 2 * DAY, latest: herdDay + 4 * DAY };
    return {
      amazonOrderId: `903-${String(i).padStart(7, '0')}-${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
      channel: 'MFN',
      shippedAt: Math.round(herdDay + random() * DAY),
      promised,
      deliveredAt: Math.round(promised.earliest + random() * (promised.latest - promised.earliest)),
      emptyOnce: false,
      neverOffered: false,
      herd: true,
    };
  });
  return [...orders, ...herd].sort((a, b) => a.shippedAt - b.shippedAt);
}

/**
 * What Amazon's window follows: `actual`, the parcel's actual delivery; `promised`, the promised delivery
 * range (for FBA orders, whose notifications carry none, Amazon's promise of 1 to 4 days after shipping).
 */
export type AmazonWindowRule = 'actual' | 'promised';

const FBA_PROMISE = { earliest: 1 * DAY, latest: 4 * DAY };

/** The delivery range Amazon's window is computed from under the rule. */
export function amazonDelivery(order: MonthOrder, rule: AmazonWindowRule): { earliest: number; latest: number } {
  if (rule === 'actual') return { earliest: order.deliveredAt, latest: order.deliveredAt };
  return (
    order.promised ?? {
      earliest: order.shippedAt + FBA_PROMISE.earliest,
      latest: order.shippedAt + FBA_PROMISE.latest,
    }
  );
}

/** Amazon's window for the order under the rule. */
export function amazonWindow(order: MonthOrder, rule: AmazonWindowRule): { opens: number; closes: number } {
  const delivery = amazonDelivery(order, rule);
  return {
    opens: delivery.earliest + WINDOW_OPENS_AFTER_DELIVERY,
    closes: delivery.latest + WINDOW_CLOSES_AFTER_DELIVERY,
  };
}
