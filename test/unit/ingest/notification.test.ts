import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { parseOrderChangeNotification, validateOrderChangeNotification } from '../../../src/ingest/notification';
import { decideOrder } from '../../../src/ingest/order';
import { startOptions } from '../../../src/orders/start';
import {
  canceled,
  MFN_DELIVERY,
  orderChange,
  pending,
  shippedAfn,
  shippedMfn,
  withField,
} from '../../fixtures/notifications';

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

/**
 * Thousands of generated and mutated notifications: each is accepted, with what the product reads in the
 * shape it expects, or rejected with a one-line reason naming a field the product reads. Nothing throws.
 */
describe('fuzzing', () => {
  const RUNS = 2000;
  const ORDER = 'Payload.OrderChangeNotification';
  const SUMMARY = `${ORDER}.Summary`;
  /** Where the parser looks; a reason names one of them, and a change anywhere else is never a reason. */
  const READ = [
    'notification',
    'NotificationType',
    'EventTime',
    'Payload',
    ORDER,
    `${ORDER}.SellerId`,
    `${ORDER}.AmazonOrderId`,
    `${ORDER}.OrderChangeType`,
    `${ORDER}.OrderChangeTrigger`,
    `${ORDER}.OrderChangeTrigger.TimeOfOrderChange`,
    SUMMARY,
    ...['MarketplaceId', 'OrderStatus', 'FulfillmentType', 'EarliestDeliveryDate', 'LatestDeliveryDate'].map(
      (field) => `${SUMMARY}.${field}`,
    ),
    'NotificationMetadata',
    'NotificationMetadata.NotificationId',
  ];
  const AMAZON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const outcomes = { accepted: 0, rejected: 0 };

  beforeEach(() => {
    outcomes.accepted = 0;
    outcomes.rejected = 0;
  });

  /** The property every input must satisfy; returns the result for further checks. */
  function checkResult(result: ReturnType<typeof validateOrderChangeNotification>) {
    if (!result.ok) {
      outcomes.rejected += 1;
      expect(result.reason).toMatch(/^[^\n]+$/);
      const where = result.reason.includes(':') ? result.reason.slice(0, result.reason.indexOf(':')) : '';
      if (!['empty message body', 'not JSON', 'not a JSON object'].includes(result.reason)) {
        expect(READ).toContain(where);
      }
      return result;
    }
    outcomes.accepted += 1;
    const { Payload, EventTime } = result.notification;
    const { AmazonOrderId, SellerId, Summary } = Payload.OrderChangeNotification;
    for (const id of [AmazonOrderId, SellerId, Summary.MarketplaceId]) expect(id).toMatch(AMAZON_ID);
    for (const instant of [EventTime, Summary.EarliestDeliveryDate, Summary.LatestDeliveryDate]) {
      if (instant !== undefined) expect(new Date(instant).toISOString()).toBe(instant);
    }
    // An accepted Shipped order becomes a workflow input whose window can be computed.
    const decision = decideOrder(result.notification, DEFAULT_POLICY);
    if (decision.action === 'start') expect(() => startOptions(decision.input, 'q')).not.toThrow();
    return result;
  }

  const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
  const timestamp = fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((date) => date.toISOString());
  /**
   * Mostly what Amazon sends, sometimes anything at all that the document builder can put in a text field (it
   * writes the order ID into the notification ID; an object whose `toString` is not a function cannot be).
   */
  const anyValue = fc.anything().filter(convertsToText);
  const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: valid }, anyValue);

  it('accepts or rejects generated notifications with a reason', () => {
    const generated = fc.record({
      amazonOrderId: field(fc.stringMatching(/^\d{3}-\d{7}-\d{7}$/)),
      sellerId: field(fc.stringMatching(/^A[0-9A-Z]{12,13}$/)),
      marketplaceId: field(fc.constantFrom('ATVPDKIKX0DER', 'A1F83G8C2ARO7P', 'A1PA6795UKMFR9')),
      orderStatus: field(fc.constantFrom('Pending', 'Unshipped', 'Shipped', 'Canceled', 'Unfulfillable')),
      fulfillmentType: field(fc.constantFrom('MFN', 'AFN')),
      eventTime: field(timestamp),
      timeOfOrderChange: field(fc.option(timestamp)),
      delivery: maybe(
        fc
          .tuple(timestamp, timestamp)
          .map((dates) => dates.sort())
          .chain(([earliest, latest]) => fc.tuple(field(fc.constant(earliest)), field(fc.constant(latest)))),
      ),
    });
    fc.assert(
      fc.property(generated, (fields) => {
        const document = orderChange({
          amazonOrderId: fields.amazonOrderId as string,
          sellerId: fields.sellerId as string,
          marketplaceId: fields.marketplaceId as string,
          orderStatus: fields.orderStatus as 'Shipped',
          fulfillmentType: fields.fulfillmentType as 'MFN',
          eventTime: fields.eventTime as string,
          timeOfOrderChange: fields.timeOfOrderChange as string,
          ...(fields.delivery && {
            deliveryDates: { earliest: fields.delivery[0] as string, latest: fields.delivery[1] as string },
          }),
        });
        checkResult(parseOrderChangeNotification(JSON.stringify(document)));
      }),
      { numRuns: RUNS },
    );
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 10);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 10);
  });

  /** Every path in a document, objects and arrays alike. */
  function pathsOf(value: unknown, prefix: string[] = []): string[][] {
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
  }
  const readsPath = (path: string[]) =>
    READ.some((read) => read === path.join('.') || read.startsWith(`${path.join('.')}.`));

  it.each([
    ['MFN', shippedMfn()],
    ['AFN', shippedAfn()],
  ])('accepts or rejects mutations of a valid %s notification with a reason', (_name, valid) => {
    const paths = pathsOf(valid);
    const mutation = fc.record({
      path: fc.constantFrom(...paths),
      change: fc.oneof(
        fc.constant({ kind: 'delete' as const }),
        fc.anything().map((value) => ({ kind: 'replace' as const, value })),
        fc.constant({ kind: 'wrap' as const }),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        let document: unknown = valid;
        for (const { path, change } of mutations) {
          const parent = at(document, path.slice(0, -1));
          // An earlier mutation removed or replaced this path's parent.
          if (!isObject(parent)) continue;
          const current = parent[path[path.length - 1]!];
          const next = change.kind === 'delete' ? undefined : change.kind === 'wrap' ? [current] : change.value;
          document = withField(document as object, path, next);
        }
        const result = checkResult(validateOrderChangeNotification(document));
        // A change the parser does not look at never costs a notification.
        if (mutations.every(({ path }) => !readsPath(path))) expect(result.ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 20);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 20);
  });

  it('accepts or rejects corrupted message bodies with a reason', () => {
    const text = JSON.stringify(shippedMfn());
    const edit = fc.record({
      at: fc.nat({ max: text.length }),
      remove: fc.nat({ max: 8 }),
      insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('"', '{', '}', ',', ':', '\\', 'null', '\u0000')),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const body = edits.reduce(
          (current, { at, remove, insert }) => current.slice(0, at) + insert + current.slice(at + remove),
          text,
        );
        checkResult(parseOrderChangeNotification(body));
      }),
      { numRuns: RUNS },
    );
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 2);
  });

  function at(document: unknown, path: string[]): unknown {
    return path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
  }
  function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === 'object';
  }
});

function convertsToText(value: unknown): boolean {
  try {
    return typeof `${value as string}` === 'string';
  } catch {
    return false;
  }
}
