import { spreadCheckAt, spreadOffsetMs } from '../../../src/domain/spread';

const HOUR = 3_600_000;

describe('spreadOffsetMs', () => {
  it('is stable for an order ID and inside [0, spread)', () => {
    const offset = spreadOffsetMs('114-3941689-8772232', HOUR);
    expect(spreadOffsetMs('114-3941689-8772232', HOUR)).toBe(offset);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(HOUR);
  });

  it('is zero without a spread', () => {
    expect(spreadOffsetMs('114-3941689-8772232', 0)).toBe(0);
    expect(spreadOffsetMs('114-3941689-8772232', Number.NaN)).toBe(0);
  });

  it('spreads IDs that differ in one digit over the whole range, a few per second at most', () => {
    const perSecond = new Map<number, number>();
    for (let i = 0; i < 3600; i++) {
      const second = Math.floor(spreadOffsetMs(`114-3941689-${String(8770000 + i)}`, HOUR) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(perSecond.size).toBeGreaterThan(2000);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(7);
  });
});

describe('spreadCheckAt', () => {
  it('moves a check later by the offset, never past the last call', () => {
    expect(spreadCheckAt(1000, 500, 10_000)).toBe(1500);
    expect(spreadCheckAt(9800, 500, 10_000)).toBe(10_000);
  });

  it('leaves a check already past the last call where it was', () => {
    expect(spreadCheckAt(10_001, 500, 10_000)).toBe(10_001);
  });
});
