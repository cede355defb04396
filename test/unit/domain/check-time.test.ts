import { DEFAULT_POLICY, type SolicitationPolicy } from '../../../src/domain/contract';
import { checkTimeWithinSendHours } from '../../../src/domain/check-time';

const US = 'ATVPDKIKX0DER'; // America/Chicago
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hours: SolicitationPolicy = { ...DEFAULT_POLICY, sendHours: { from: '09:00', to: '21:00' } };
const at = (text: string) => Date.parse(text);

describe('checkTimeWithinSendHours', () => {
  it('leaves the schedule alone without send hours', () => {
    const due = at('2027-01-10T03:00:00Z');
    expect(
      checkTimeWithinSendHours({ due, lastCheckAt: undefined, solicitBefore: due + DAY }, DEFAULT_POLICY, US),
    ).toBe(due);
  });

  it('keeps a check due inside the hours and moves one due at night to the next local opening', () => {
    const inside = at('2027-01-10T16:00:00Z'); // 10:00 CST
    const night = at('2027-01-10T04:00:00Z'); // 22:00 CST the evening before
    const solicitBefore = at('2027-02-01T00:00:00Z');
    expect(checkTimeWithinSendHours({ due: inside, lastCheckAt: undefined, solicitBefore }, hours, US)).toBe(inside);
    expect(checkTimeWithinSendHours({ due: night, lastCheckAt: undefined, solicitBefore }, hours, US)).toBe(
      at('2027-01-10T15:00:00Z'),
    );
  });

  it('follows daylight saving: 09:00 local is 14:00 UTC in summer', () => {
    const due = at('2027-07-10T03:00:00Z'); // 22:00 CDT
    const solicitBefore = at('2027-08-01T00:00:00Z');
    expect(checkTimeWithinSendHours({ due, lastCheckAt: undefined, solicitBefore }, hours, US)).toBe(
      at('2027-07-10T14:00:00Z'),
    );
  });

  it('reads the hours in UTC for a marketplace it does not know', () => {
    const due = at('2027-01-10T22:00:00Z');
    const solicitBefore = at('2027-02-01T00:00:00Z');
    expect(checkTimeWithinSendHours({ due, lastCheckAt: undefined, solicitBefore }, hours, 'A0UNKNOWN')).toBe(
      at('2027-01-11T09:00:00Z'),
    );
  });

  it('when the window closes before the next opening: checks at once, unless a check ran since the last opening', () => {
    const due = at('2027-01-11T04:00:00Z'); // 22:00 CST
    const solicitBefore = at('2027-01-11T08:00:00Z'); // 02:00 CST
    expect(checkTimeWithinSendHours({ due, lastCheckAt: undefined, solicitBefore }, hours, US)).toBeLessThan(due);
    const checkedThatDay = at('2027-01-10T22:00:00Z'); // 16:00 CST
    expect(checkTimeWithinSendHours({ due, lastCheckAt: checkedThatDay, solicitBefore }, hours, US)).toBe(
      solicitBefore,
    );
  });
});
