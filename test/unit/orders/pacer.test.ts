import { Pacer } from '../../../src/orders/pacer';

function clock() {
  let at = 1_000_000;
  return { now: () => at, advance: (ms: number) => void (at += ms) };
}

/** Takes `count` tokens, waiting whenever the pacer says so; returns the times of the takes, from 0. */
function takeTimes(pacer: Pacer, time: ReturnType<typeof clock>, count: number): number[] {
  const start = time.now();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    for (let wait = pacer.delayMs(); wait > 0; wait = pacer.delayMs()) time.advance(wait);
    pacer.take();
    times.push(time.now() - start);
  }
  return times;
}

describe('Pacer', () => {
  it("allows the burst at once, then one call per 1/rate seconds (searchOrders' plan)", () => {
    const time = clock();
    const pacer = new Pacer({ ratePerSecond: 0.0056, burst: 20 }, time.now);
    const times = takeTimes(pacer, time, 23);
    expect(times.slice(0, 20)).toEqual(Array(20).fill(0));
    const gaps = times.slice(20).map((at, i) => at - times[19 + i]!);
    // 1 / 0.0056 s = 178.57 s, never less.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(178_571);
    for (const gap of gaps) expect(gap).toBeLessThan(178_600);
  });

  it('refills while idle, up to the burst and no more', () => {
    const time = clock();
    const pacer = new Pacer({ ratePerSecond: 2, burst: 3 }, time.now);
    takeTimes(pacer, time, 3);
    time.advance(60_000);
    expect(takeTimes(pacer, time, 4)).toEqual([0, 0, 0, 500]);
  });

  it('waits a full interval after empty(), whatever it believed it had', () => {
    const time = clock();
    const pacer = new Pacer({ ratePerSecond: 4, burst: 10 }, time.now);
    pacer.empty();
    expect(pacer.delayMs()).toBe(250);
    time.advance(250);
    expect(pacer.delayMs()).toBe(0);
  });
});
