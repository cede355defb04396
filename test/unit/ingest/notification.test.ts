import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { parseOrderChangeNotification, validateOrderChangeNotification } from '../../../src/ingest/notification';
import { canceled, MFN_DELIVERY, pending, shippedAfn, shippedMfn, withField } from '../../fixtures/notifications';

const SCHEMA_FILE = path.resolve(__dirname, '../../fixtures/amazon-models/OrderChangeNotification.json');
const amazonSchema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateWithAmazonSchema = ajv.compile(amazonSchema);

function expectAmazonValid(document: unknown): void {
  const valid = validateWithAmazonSchema(document);
  expect(valid ? 'valid' : ajv.errorsText(validateWithAmazonSchema.errors)).toBe('valid');
}

function reasonFor(document: unknown): string {
  const result = validateOrderChangeNotification(document);
  if (result.ok) throw new Error('expected the notification to be rejected');
  return result.reason;
}

describe("Amazon's official example", () => {
  const official = amazonSchema.examples[0];

  it('is valid against its own schema and parses', () => {
    expectAmazonValid(official);
    const result = parseOrderChangeNotification(JSON.stringify(official));
    expect(result.ok && result.notification.Payload.OrderChangeNotification).toMatchObject({
      AmazonOrderId: '903-8868176-2219830',
      SellerId: 'A3TH9S8BH6GOGM',
      Summary: {
        MarketplaceId: 'ATVPDKIKX0DER',
        OrderStatus: 'Unshipped',
        FulfillmentType: 'MFN',
        EarliestDeliveryDate: '2022-11-07T19:42:04.284Z',
        LatestDeliveryDate: '2022-12-07T19:42:04.284Z',
      },
    });
  });
});

describe('constructed notifications', () => {
  it.each([
    ['Shipped MFN with delivery dates', shippedMfn()],
    ['Shipped AFN without delivery dates', shippedAfn()],
    ['Canceled', canceled()],
    ['Pending', pending()],
    ['Shipped with a null TimeOfOrderChange', shippedMfn({ timeOfOrderChange: null })],
  ])('%s validates against Amazon schema and parses', (_name, document) => {
    expectAmazonValid(document);
    const result = parseOrderChangeNotification(JSON.stringify(document));
    expect(result.ok ? 'parsed' : result.reason).toBe('parsed');
  });

  it('keeps what the product reads, dates normalised to UTC', () => {
    const result = validateOrderChangeNotification(
      shippedMfn({ timeOfOrderChange: '2025-03-04T12:14:58+02:00', eventTime: '2025-03-04T10:15:02.117Z' }),
    );
    expect(result.ok && result.notification).toEqual({
      NotificationType: 'ORDER_CHANGE',
      EventTime: '2025-03-04T10:15:02.117Z',
      Payload: {
        OrderChangeNotification: {
          SellerId: 'A3TH9S8BH6GOGM',
          AmazonOrderId: '114-3941689-8772232',
          OrderChangeType: 'OrderStatusChange',
          OrderChangeTrigger: { TimeOfOrderChange: '2025-03-04T10:14:58.000Z' },
          Summary: {
            MarketplaceId: 'ATVPDKIKX0DER',
            OrderStatus: 'Shipped',
            FulfillmentType: 'MFN',
            EarliestDeliveryDate: MFN_DELIVERY.earliest,
            LatestDeliveryDate: MFN_DELIVERY.latest,
          },
        },
      },
      NotificationMetadata: { NotificationId: '114-3941689-8772232-Shipped' },
    });
  });

  it('does not require what the product does not read', () => {
    const document = shippedAfn();
    delete document.NotificationMetadata;
    delete document.Payload.OrderChangeNotification.Summary.OrderItems;
    delete document.Payload.OrderChangeNotification.OrderChangeTrigger;
    expect(validateOrderChangeNotification(document).ok).toBe(true);
  });
});

describe('rejected notifications', () => {
  const ORDER = ['Payload', 'OrderChangeNotification'];
  const SUMMARY = [...ORDER, 'Summary'];
  const TIMESTAMP = 'must be an ISO-8601 timestamp with a time zone';
  const cases: [string, string[], unknown, string][] = [
    ['missing AmazonOrderId', [...ORDER, 'AmazonOrderId'], undefined, 'is required'],
    ['missing SellerId', [...ORDER, 'SellerId'], undefined, 'is required'],
    ['missing Payload', ['Payload'], undefined, 'is required'],
    ['missing Summary', SUMMARY, undefined, 'is required'],
    ['missing MarketplaceId', [...SUMMARY, 'MarketplaceId'], undefined, 'is required'],
    ['missing OrderStatus', [...SUMMARY, 'OrderStatus'], undefined, 'is required'],
    ['missing FulfillmentType', [...SUMMARY, 'FulfillmentType'], undefined, 'is required'],
    ['missing EventTime', ['EventTime'], undefined, 'is required'],
    ['missing NotificationType', ['NotificationType'], undefined, 'is required'],
    ['wrong NotificationType', ['NotificationType'], 'ANY_OFFER_CHANGED', 'must be ORDER_CHANGE'],
    [
      'numeric AmazonOrderId',
      [...ORDER, 'AmazonOrderId'],
      1143941689,
      'Invalid input: expected string, received number',
    ],
    [
      'AmazonOrderId with a quote',
      [...ORDER, 'AmazonOrderId'],
      '114" OR WorkflowId != "x',
      "must be an Amazon identifier (letters, digits, '-', '_', '.')",
    ],
    ['empty SellerId', [...ORDER, 'SellerId'], '', "must be an Amazon identifier (letters, digits, '-', '_', '.')"],
    ['unknown FulfillmentType', [...SUMMARY, 'FulfillmentType'], 'FBA', 'must be MFN or AFN'],
    ['Summary as a string', SUMMARY, 'Shipped', 'Invalid input: expected object, received string'],
    ['EventTime not a date', ['EventTime'], 'yesterday', TIMESTAMP],
    ['EventTime without a time zone', ['EventTime'], '2025-03-04T10:15:02', TIMESTAMP],
    ['EarliestDeliveryDate on February 30th', [...SUMMARY, 'EarliestDeliveryDate'], '2025-02-30T08:00:00Z', TIMESTAMP],
    [
      'TimeOfOrderChange as epoch milliseconds',
      [...ORDER, 'OrderChangeTrigger', 'TimeOfOrderChange'],
      1741083298000,
      TIMESTAMP,
    ],
    [
      'LatestDeliveryDate before EarliestDeliveryDate',
      [...SUMMARY, 'LatestDeliveryDate'],
      '2025-03-01T00:00:00Z',
      'is before EarliestDeliveryDate',
    ],
  ];

  it.each(cases)('%s', (_name, path, value, problem) => {
    expect(reasonFor(withField(shippedMfn(), path, value))).toBe(`${path.join('.')}: ${problem}`);
  });

  it.each([
    ['not JSON', 'not json', 'not JSON'],
    ['empty', '', 'empty message body'],
    ['a JSON array', '[]', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
  ])('%s body', (_name, body, reason) => {
    expect(parseOrderChangeNotification(body)).toEqual({ ok: false, reason });
  });

  it('never throws, and any rejection reason is one line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => {
        const result = parseOrderChangeNotification(body);
        if (!result.ok) expect(result.reason).not.toMatch(/\n/);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = validateOrderChangeNotification(value);
        if (!result.ok) expect(result.reason).not.toMatch(/\n/);
      }),
    );
  });
});
