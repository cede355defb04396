import fc from 'fast-check';
import { MARKETPLACES, marketplaceZone } from '../../../src/domain/marketplaces';
import { parseSendHours, sendableAt, type SendHours } from '../../../src/domain/send-hours';
import { MARKETPLACE_REGIONS } from '../../../src/spapi/endpoints';

const at = (iso: string) => Date.parse(iso);
const NEVER = at('2100-01-01T00:00:00Z');
const DAY = 86_400_000;
const DAYTIME: SendHours = { from: '09:00', to: '21:00' };

describe('parseSendHours', () => {
  it.each([
    ['09:00-21:00', { from: '09:00', to: '21:00' }],
    [' 08:30 - 17:45 ', { from: '08:30', to: '17:45' }],
    ['22:00-06:00', { from: '22:00', to: '06:00' }],
    ['18:00-00:00', { from: '18:00', to: '00:00' }],
  ])('reads %j', (text, hours) => {
    expect(parseSendHours(text)).toEqual(hours);
  });

  it.each(['', '09:00', '9:00-21:00', '09:00-24:00', '09:60-21:00', '09:00-09:00', '09:00-12:00-13:00', '0900-2100'])(
    'refuses %j',
    (text) => {
      expect(parseSendHours(text)).toBeUndefined();
    },
  );
});

describe('sendableAt', () => {
  it('keeps a check due inside the hours', () => {
    // 12:00 in Berlin (CEST, UTC+2).
    expect(sendableAt(at('2026-06-01T10:00:00Z'), DAYTIME, 'Europe/Berlin', NEVER)).toBe(at('2026-06-01T10:00:00Z'));
    expect(sendableAt(at('2026-06-01T07:00:00Z'), DAYTIME, 'Europe/Berlin', NEVER)).toBe(at('2026-06-01T07:00:00Z'));
  });

  it('moves a check due before the opening, or at or after the closing, to the next opening', () => {
    expect(sendableAt(at('2026-06-01T05:00:00Z'), DAYTIME, 'Europe/Berlin', NEVER)).toBe(at('2026-06-01T07:00:00Z'));
    expect(sendableAt(at('2026-06-01T19:00:00Z'), DAYTIME, 'Europe/Berlin', NEVER)).toBe(at('2026-06-02T07:00:00Z'));
    expect(sendableAt(at('2026-06-01T22:30:00Z'), DAYTIME, 'Asia/Tokyo', NEVER)).toBe(at('2026-06-02T00:00:00Z'));
  });

  it('opens at the local time across the end of summer time (Europe/Berlin, 2026-10-25)', () => {
    // 22:00 CEST on the 24th; the clocks go back at 03:00 CEST, so 09:00 on the 25th is 08:00 UTC.
    expect(sendableAt(at('2026-10-24T20:00:00Z'), DAYTIME, 'Europe/Berlin', NEVER)).toBe(at('2026-10-25T08:00:00Z'));
    // Hours inside the repeated hour open at its first occurrence (02:30 CEST).
    const repeated: SendHours = { from: '02:30', to: '05:00' };
    expect(sendableAt(at('2026-10-24T22:00:00Z'), repeated, 'Europe/Berlin', NEVER)).toBe(at('2026-10-25T00:30:00Z'));
  });

  it('opens at the local time across the start of daylight time (America/Los_Angeles, 2026-03-08)', () => {
    // 22:00 PST on the 7th; 09:00 PDT on the 8th is 16:00 UTC, an hour earlier than the day before.
    const hours: SendHours = { from: '09:00', to: '17:00' };
    expect(sendableAt(at('2026-03-08T06:00:00Z'), hours, 'America/Los_Angeles', NEVER)).toBe(
      at('2026-03-08T16:00:00Z'),
    );
    expect(sendableAt(at('2026-03-07T06:00:00Z'), hours, 'America/Los_Angeles', NEVER)).toBe(
      at('2026-03-07T17:00:00Z'),
    );
    // 02:30 does not exist that night: the hours open when the clocks jump to 03:00 PDT.
    const skipped: SendHours = { from: '02:30', to: '06:00' };
    expect(sendableAt(at('2026-03-08T09:00:00Z'), skipped, 'America/Los_Angeles', NEVER)).toBe(
      at('2026-03-08T10:00:00Z'),
    );
  });

  it('handles hours that run overnight', () => {
    const night: SendHours = { from: '22:00', to: '06:00' };
    // 04:00 CEST is inside the night that began at 22:00 the day before.
    expect(sendableAt(at('2026-06-02T02:00:00Z'), night, 'Europe/Berlin', NEVER)).toBe(at('2026-06-02T02:00:00Z'));
    // 07:00 CEST waits for 22:00 CEST.
    expect(sendableAt(at('2026-06-02T05:00:00Z'), night, 'Europe/Berlin', NEVER)).toBe(at('2026-06-02T20:00:00Z'));
  });

  it('never waits past solicitBefore: a window that closes at night uses the last opening before it', () => {
    // The window closes at 03:00 CEST on the 3rd; a check due at midnight cannot wait for 09:00.
    const closes = at('2026-06-03T01:00:00Z');
    expect(sendableAt(at('2026-06-02T22:00:00Z'), DAYTIME, 'Europe/Berlin', closes)).toBe(at('2026-06-02T07:00:00Z'));
    // An opening before the window closes is still waited for.
    expect(sendableAt(at('2026-06-02T22:00:00Z'), DAYTIME, 'Europe/Berlin', at('2026-06-03T08:00:00Z'))).toBe(
      at('2026-06-03T07:00:00Z'),
    );
    // The window closing at the very opening leaves the day before's.
    expect(sendableAt(at('2026-06-02T22:00:00Z'), DAYTIME, 'Europe/Berlin', at('2026-06-03T07:00:00Z'))).toBe(
      at('2026-06-02T07:00:00Z'),
    );
  });

  it('gives, for any instant and marketplace, the first instant inside the hours at or after it', () => {
    const zones = Object.values(MARKETPLACES).map(({ zone }) => zone);
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));
    const text = ([hour, minute]: [number, number]) =>
      `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }),
        fc.constantFrom(...zones),
        time,
        time,
        (due, zone, from, to) => {
          fc.pre(text(from) !== text(to));
          const hours = parseSendHours(`${text(from)}-${text(to)}`)!;
          const result = sendableAt(due, hours, zone, NEVER);
          expect(result).toBeGreaterThanOrEqual(due);
          expect(result - due).toBeLessThan(2 * DAY);
          expect(sendableAt(result, hours, zone, NEVER)).toBe(result);
          // Nothing inside the hours is skipped: a minute before the result is outside them.
          if (result > due) expect(sendableAt(result - 60_000, hours, zone, NEVER)).toBe(result);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('marketplace time zones', () => {
  it('cover exactly the marketplaces the product knows, each with a zone Intl knows', () => {
    expect(Object.keys(MARKETPLACE_REGIONS).sort()).toEqual(Object.keys(MARKETPLACES).sort());
    for (const { zone } of Object.values(MARKETPLACES)) {
      // Intl throws a RangeError for a zone it does not know (and may answer Kolkata by its older name).
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
    }
    expect(marketplaceZone('ATVPDKIKX0DER')).toBe('America/Chicago');
    expect(marketplaceZone('A1PA6795UKMFR9')).toBe('Europe/Berlin');
    expect(marketplaceZone('toString')).toBeUndefined();
  });
});
