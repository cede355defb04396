import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { parseOrderChangeNotification } from '../../../src/ingest/notification';
import { decideOrder } from '../../../src/ingest/order';
import { DEMO_ORDER_IDS, demoFeedTime, demoOrders, type DemoOrder } from '../../../src/local/demo-orders';
import { solicitationWindow } from '../../../src/domain/window';

const SCHEMA_FILE = path.resolve(__dirname, '../../fixtures/amazon-models/OrderChangeNotification.json');
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateWithAmazonSchema = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));

const feedAt = new Date('2025-06-15T12:00:00.000Z');
const orders = demoOrders(feedAt, 'A1SELLER');
const DAY = 24 * 60 * 60 * 1000;

/** The product's window (from the Shipped notification) and Amazon's (from the order it knows). */
function windows(order: DemoOrder) {
  const parsed = parseOrderChangeNotification(JSON.stringify(order.notifications[0]));
  if (!parsed.ok) throw new Error(parsed.reason);
  const decision = decideOrder(parsed.notification, DEFAULT_POLICY);
  if (decision.action !== 'start') throw new Error(`${order.amazonOrderId} does not start a workflow`);
  const ours = solicitationWindow(decision.input, DEFAULT_POLICY);
  const amazon = {
    solicitAfter: new Date(order.amazon.earliestDeliveryDate).getTime() + 5 * DAY,
    solicitBefore: new Date(order.amazon.latestDeliveryDate).getTime() + 30 * DAY,
  };
  return { input: decision.input, ours, amazon };
}

/** What ingest reads of a notification. */
function summary(notification: unknown) {
  const parsed = parseOrderChangeNotification(JSON.stringify(notification));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification.Payload.OrderChangeNotification.Summary;
}

const at = feedAt.getTime();
const open = (window: { solicitAfter: number; solicitBefore: number }) =>
  window.solicitAfter <= at && at < window.solicitBefore;

describe('the demo orders of solicit dev', () => {
  it("have distinct IDs in Amazon's 3-7-7 format", () => {
    expect(new Set(DEMO_ORDER_IDS).size).toBe(DEMO_ORDER_IDS.length);
    for (const id of DEMO_ORDER_IDS) expect(id).toMatch(/^\d{3}-\d{7}-\d{7}$/);
    expect(orders.map((order) => order.amazonOrderId)).toEqual(DEMO_ORDER_IDS);
  });

  it("are notifications that Amazon's schema accepts and ingest parses", () => {
    for (const notification of orders.flatMap((order) => order.notifications)) {
      const valid = validateWithAmazonSchema(notification);
      expect(valid ? 'valid' : ajv.errorsText(validateWithAmazonSchema.errors)).toBe('valid');
      expect(parseOrderChangeNotification(JSON.stringify(notification)).ok).toBe(true);
    }
  });

  it('cover every phase an operator meets, each for the reason its story gives', () => {
    const byPhase = (phase: string) => orders.filter((order) => order.phase === phase);
    const [solicited] = byPhase('solicited');
    expect(open(windows(solicited!).ours) && open(windows(solicited!).amazon)).toBe(true);

    const [expired] = byPhase('expired');
    expect(windows(expired!).ours.solicitBefore).toBeLessThan(at);

    const [cancelled] = byPhase('cancelled');
    expect(cancelled!.notifications.map(summary)).toMatchObject([
      { OrderStatus: 'Shipped' },
      { OrderStatus: 'Canceled' },
    ]);
    expect(cancelled!.amazon.fulfillmentStatus).toBe('CANCELLED');

    const waiting = byPhase('waiting').map(windows);
    expect(waiting).toHaveLength(3);
    // Before the window opens; inside it while Amazon does not offer the request yet; FBA, estimated.
    expect(waiting.filter(({ ours }) => ours.solicitAfter > at && !ours.estimated)).toHaveLength(1);
    expect(waiting.filter(({ ours, amazon }) => open(ours) && !open(amazon))).toHaveLength(1);
    const fba = waiting.filter(({ input }) => input.fulfillmentChannel === 'AFN');
    expect(fba).toHaveLength(1);
    expect(fba[0]!.ours.estimated).toBe(true);
    expect(fba[0]!.input.earliestDeliveryDate).toBeUndefined();
    // Amazon offers the request within the estimated window, so the order is solicited on a later check.
    expect(fba[0]!.amazon.solicitAfter).toBeLessThan(fba[0]!.ours.solicitBefore);
  });

  it('are told to Amazon as fulfilled by whoever the notification says', () => {
    for (const order of orders) {
      const channel = summary(order.notifications[0]).FulfillmentType;
      expect(order.amazon.fulfilledBy).toBe(channel === 'AFN' ? 'AMAZON' : 'MERCHANT');
      expect(order.amazon.sellerId).toBe('A1SELLER');
    }
  });

  it("give back the time they were fed from any order's ship time", () => {
    for (const order of orders) {
      const { input } = windows(order);
      expect(demoFeedTime(order.amazonOrderId, input.shippedAt)).toEqual(feedAt);
    }
    expect(demoFeedTime('114-3941689-8772232', feedAt.toISOString())).toBeUndefined();
  });
});
