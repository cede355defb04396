import { fields, instant, table } from '../../../src/operator/format';

describe('table', () => {
  it('pads each column to its widest cell, without trailing spaces', () => {
    expect(
      table(
        ['ORDER', 'PHASE', 'SELLER'],
        [
          ['111-1', 'already-solicited', 'A1'],
          ['111-22222', 'waiting', ''],
        ],
      ),
    ).toBe(
      ['ORDER      PHASE              SELLER', '111-1      already-solicited  A1', '111-22222  waiting'].join('\n'),
    );
  });
});

describe('fields', () => {
  it('aligns the values and leaves out those not given', () => {
    expect(
      fields([
        ['order', '111-1'],
        ['next check', undefined],
        ['window opens', '2026-03-15 12:00 UTC'],
      ]),
    ).toBe('order         111-1\nwindow opens  2026-03-15 12:00 UTC');
  });
});

describe('instant', () => {
  it('reads an ISO date-time to the minute, in UTC, and nothing as nothing', () => {
    expect(instant('2026-03-15T12:34:56.789Z')).toBe('2026-03-15 12:34 UTC');
    expect(instant(null)).toBeUndefined();
    expect(instant(undefined)).toBeUndefined();
  });
});
