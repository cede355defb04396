import { DEFAULT_POLICY, type SolicitationPolicy } from '../../../src/domain/contract';
import {
  InvalidOrderInputError,
  parseInstant,
  recheckIntervalMs,
  solicitationWindow,
} from '../../../src/domain/window';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
/** The window, under the default policy, of an order shipped and delivered at these instants. */
const windowOf = (shippedAt: string, earliestDeliveryDate: string, latestDeliveryDate: string) =>
  solicitationWindow({ shippedAt, earliestDeliveryDate, latestDeliveryDate }, DEFAULT_POLICY);

describe('solicitationWindow', () => {
  it('opens 5 days after the earliest delivery and closes 30 days after the latest, to the millisecond', () => {
    const window = windowOf('2024-05-01T09:00:00Z', '2024-05-03T07:00:00.001Z', '2024-05-06T06:59:59.999Z');
    expect(window).toEqual({
      solicitAfter: at('2024-05-08T07:00:00.001Z'),
      solicitBefore: at('2024-06-05T06:59:59.999Z'),
      estimated: false,
    });
  });

  it('reads zone offsets rather than the host time zone', () => {
    const window = windowOf('2024-05-01T09:00:00Z', '2024-05-03T00:00:00-07:00', '2024-05-06T00:00:00+09:00');
    expect(window.solicitAfter).toBe(at('2024-05-08T07:00:00Z'));
    expect(window.solicitBefore).toBe(at('2024-06-04T15:00:00Z'));
  });

  it('estimates both dates from the ship time for an FBA order and flags the window as estimated', () => {
    const window = solicitationWindow({ shippedAt: '2024-05-01T09:30:00.250Z' }, DEFAULT_POLICY);
    expect(window).toEqual({
      solicitAfter: at('2024-05-01T09:30:00.250Z') + 1 * DAY + 5 * DAY,
      solicitBefore: at('2024-05-01T09:30:00.250Z') + 10 * DAY + 30 * DAY,
      estimated: true,
    });
  });

  it('estimates only the missing date', () => {
    const window = solicitationWindow(
      { shippedAt: '2024-05-01T00:00:00Z', earliestDeliveryDate: '2024-05-04T00:00:00Z' },
      DEFAULT_POLICY,
    );
    expect(window).toEqual({
      solicitAfter: at('2024-05-09T00:00:00Z'),
      solicitBefore: at('2024-05-11T00:00:00Z') + 30 * DAY,
      estimated: true,
    });
  });

  it('follows the policy the order was started with', () => {
    const policy: SolicitationPolicy = {
      windowOpensAfterEarliestDelivery: '2 days',
      windowClosesAfterLatestDelivery: '20d',
      estimatedEarliestDeliveryAfterShip: '12 hours',
      estimatedLatestDeliveryAfterShip: 3 * DAY,
      recheckInterval: '6h',
    };
    const shippedAt = at('2024-05-01T00:00:00Z');
    expect(solicitationWindow({ shippedAt: '2024-05-01T00:00:00Z' }, policy)).toEqual({
      solicitAfter: shippedAt + 12 * HOUR + 2 * DAY,
      solicitBefore: shippedAt + 3 * DAY + 20 * DAY,
      estimated: true,
    });
    expect(recheckIntervalMs(policy)).toBe(6 * HOUR);
  });

  it.each([
    ['a date without a zone', { shippedAt: '2024-05-01T00:00:00' }, /shippedAt must be an ISO-8601/],
    ['a date only', { shippedAt: '2024-05-01' }, /shippedAt/],
    ['a day that does not exist', { shippedAt: '2024-02-30T00:00:00Z' }, /shippedAt/],
    ['hour 24', { shippedAt: '2024-02-01T24:00:00Z' }, /shippedAt/],
    ['free text', { shippedAt: 'yesterday' }, /shippedAt/],
    [
      'a bad delivery date',
      { shippedAt: '2024-05-01T00:00:00Z', latestDeliveryDate: '2024-05-06 00:00' },
      /latestDeliveryDate/,
    ],
  ])('rejects %s, naming the field', (_, dates, message) => {
    expect(() => solicitationWindow(dates, DEFAULT_POLICY)).toThrow(InvalidOrderInputError);
    expect(() => solicitationWindow(dates, DEFAULT_POLICY)).toThrow(message);
  });

  it('rejects a policy duration that does not parse, naming it', () => {
    const policy = {
      ...DEFAULT_POLICY,
      windowOpensAfterEarliestDelivery: 'five days',
    } as unknown as SolicitationPolicy;
    expect(() => solicitationWindow({ shippedAt: '2024-05-01T00:00:00Z' }, policy)).toThrow(
      /policy.windowOpensAfterEarliestDelivery must be a duration/,
    );
  });

  it('rejects a re-check interval that would never move forward', () => {
    expect(() => recheckIntervalMs({ ...DEFAULT_POLICY, recheckInterval: 0 })).toThrow(/positive duration/);
    expect(() => recheckIntervalMs({ ...DEFAULT_POLICY, recheckInterval: '-1 day' })).toThrow(/positive duration/);
    expect(recheckIntervalMs(DEFAULT_POLICY)).toBe(DAY);
  });
});

describe('parseInstant', () => {
  it('keeps milliseconds and drops finer digits', () => {
    expect(parseInstant('2024-05-01T00:00:00.999Z', 'x')).toBe(at('2024-05-01T00:00:00Z') + 999);
    expect(parseInstant('2024-05-01T00:00:00.123456Z', 'x')).toBe(at('2024-05-01T00:00:00Z') + 123);
  });

  it('accepts the leap day of a leap year only', () => {
    expect(parseInstant('2024-02-29T00:00:00Z', 'x')).toBe(at('2024-02-29T00:00:00Z'));
    expect(() => parseInstant('2023-02-29T00:00:00Z', 'x')).toThrow(InvalidOrderInputError);
  });
});
