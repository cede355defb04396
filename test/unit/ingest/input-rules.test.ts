import { rejectionReason } from '../../../src/ingest/input-rules';
import { parseOrderChangeNotification, type OrderChangeNotification } from '../../../src/ingest/notification';
import { decideOrder } from '../../../src/ingest/order';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { MFN_DELIVERY, shippedMfn, withField } from '../../fixtures/notifications';

const SUMMARY = ['Payload', 'OrderChangeNotification', 'Summary'];

function parse(document: unknown) {
  return parseOrderChangeNotification(JSON.stringify(document));
}

function accepted(document: unknown): { notification: OrderChangeNotification; note?: string } {
  const result = parse(document);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('lenient delivery dates', () => {
  it.each([null, ''])('a delivery date of %j counts as absent', (value) => {
    const document = withField(
      withField(shippedMfn(), [...SUMMARY, 'EarliestDeliveryDate'], value) as object,
      [...SUMMARY, 'LatestDeliveryDate'],
      value,
    );
    const { notification, note } = accepted(document);
    const decision = decideOrder(notification, DEFAULT_POLICY);
    expect(decision.action === 'start' && decision.input).toMatchObject({ fulfillmentChannel: 'MFN' });
    expect(decision.action === 'start' && 'earliestDeliveryDate' in decision.input).toBe(false);
    expect(decision.action === 'start' && 'latestDeliveryDate' in decision.input).toBe(false);
    expect(note).toBeUndefined();
  });

  it('takes a latest date before the earliest as the window between the two, with a note', () => {
    const document = shippedMfn({ deliveryDates: { earliest: MFN_DELIVERY.latest, latest: MFN_DELIVERY.earliest } });
    const { notification, note } = accepted(document);
    expect(notification.Payload.OrderChangeNotification.Summary).toMatchObject({
      EarliestDeliveryDate: MFN_DELIVERY.earliest,
      LatestDeliveryDate: MFN_DELIVERY.latest,
    });
    expect(note).toMatch(/LatestDeliveryDate is before EarliestDeliveryDate/);
  });

  it('says nothing of dates in the right order', () => {
    expect(accepted(shippedMfn()).note).toBeUndefined();
  });
});

describe('rejectionReason', () => {
  it('accepts a routable marketplace with dates near the notification', () => {
    expect(rejectionReason(accepted(shippedMfn()).notification)).toBeUndefined();
  });

  it('rejects a marketplace no SP-API region serves', () => {
    const { notification } = accepted(shippedMfn({ marketplaceId: 'XNOTAMARKET1' }));
    expect(rejectionReason(notification)).toBe(
      'marketplace XNOTAMARKET1 is not one the product can route to an SP-API region',
    );
  });

  it.each([
    [
      'earliest two years later',
      { earliest: '2027-03-07T08:00:00.000Z', latest: '2027-03-12T08:00:00.000Z' },
      'EarliestDeliveryDate',
    ],
    [
      'latest two years later',
      { earliest: MFN_DELIVERY.earliest, latest: '2027-03-12T08:00:00.000Z' },
      'LatestDeliveryDate',
    ],
    [
      'earliest two years before',
      { earliest: '2023-03-07T08:00:00.000Z', latest: MFN_DELIVERY.latest },
      'EarliestDeliveryDate',
    ],
  ])('rejects a delivery date more than a year from EventTime: %s', (_name, deliveryDates, field) => {
    const { notification } = accepted(shippedMfn({ deliveryDates }));
    expect(rejectionReason(notification)).toMatch(
      new RegExp(`^${field} \\S+ is more than a year from the notification's EventTime 2025-03-04T10:15:02.117Z$`),
    );
  });

  it('accepts a date eleven months away', () => {
    const { notification } = accepted(
      shippedMfn({ deliveryDates: { earliest: MFN_DELIVERY.earliest, latest: '2026-02-01T00:00:00.000Z' } }),
    );
    expect(rejectionReason(notification)).toBeUndefined();
  });
});
