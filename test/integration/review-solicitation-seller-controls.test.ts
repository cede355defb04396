import { forTheFile } from '../helpers/for-the-file';
import { DEFAULT_POLICY, searchAttributes, statusQuery, type SolicitationPolicy } from '../../src/domain/contract';
import { DAY, HOUR, OFFERED, expectAt, recordHistory, startHarness } from '../helpers/solicitation-harness';
import { mfnOrder } from '../helpers/orders';

const h = forTheFile(startHarness);

const NINE_TO_NINE: SolicitationPolicy['sendHours'] = { from: '09:00', to: '21:00' };

/** The hour of the day (0-23) an instant shows in a time zone. */
function localHour(instant: number, zone: string): number {
  return Number(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(instant),
  );
}

/** 00:00 UTC of the day on which the United States next change to daylight-saving time, at least 10 days ahead. */
function nextUsSpringForwardDay(after: number): number {
  for (let year = new Date(after).getUTCFullYear(); ; year += 1) {
    const firstSunday = 1 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
    const day = Date.UTC(year, 2, firstSunday + 7);
    if (day - 10 * DAY > after) return day;
  }
}

describe('dry run', () => {
  it('checks on its schedule and, where it would send, ends dry-run without sending', async () => {
    const t0 = await h.now();
    const order = mfnOrder(t0 - HOUR, t0 + DAY, t0 + 2 * DAY);
    const input = { ...order, policy: { ...DEFAULT_POLICY, dryRun: true } };
    const solicitAfter = t0 + 6 * DAY;
    h.fake.script(input.amazonOrderId, { check: (call) => (call === 1 ? [] : OFFERED) });
    const handle = await h.start(input);

    const result = await h.ended(handle, {
      outcome: 'dry-run',
      checks: 2,
      reason: 'Amazon offered the request; not sent: dry run',
    });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check');
    expect(checks).toHaveLength(2);
    expectAt(checks[0]?.at, solicitAfter);
    expectAt(checks[1]?.at, solicitAfter + DAY);
    expect(h.fake.callsFor(input.amazonOrderId, 'solicit')).toHaveLength(0);
    expect(await handle.query(statusQuery)).toMatchObject({ phase: 'dry-run', reason: result.reason });
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('dry-run');
    await recordHistory(handle, 'dry-run');
  });
});

describe('send hours', () => {
  it("keeps checks and the send inside the marketplace's local hours across a daylight-saving change", async () => {
    const t0 = await h.now();
    // US marketplace, America/Chicago. The window opens at 20:30 CST, four evenings before clocks spring forward:
    // the daily check at 02:30 UTC is 20:30 CST until then and 21:30 CDT after it, outside 09:00-21:00.
    const springForward = nextUsSpringForwardDay(t0);
    const solicitAfter = springForward - 4 * DAY + 2.5 * HOUR;
    const order = mfnOrder(t0, solicitAfter - 5 * DAY, solicitAfter - 4 * DAY);
    const input = { ...order, policy: { ...DEFAULT_POLICY, sendHours: NINE_TO_NINE } };
    h.fake.script(input.amazonOrderId, { check: (call) => (call <= 5 ? [] : OFFERED) });
    const handle = await h.start(input);

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 6 });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check').map((call) => call.at);
    const expected = [0, 1, 2, 3, 4].map((k) => solicitAfter + k * DAY);
    // The sixth check waits for 09:00 CDT (14:00 UTC) the next morning.
    expected.push(springForward + DAY + 14 * HOUR);
    expect(checks).toHaveLength(expected.length);
    checks.forEach((at, k) => expectAt(at, expected[k]!));
    const sends = h.fake.callsFor(input.amazonOrderId, 'solicit');
    expect(sends).toHaveLength(1);
    for (const at of [...checks, sends[0]!.at]) {
      expect(localHour(at, 'America/Chicago')).toBeGreaterThanOrEqual(9);
      expect(localHour(at, 'America/Chicago')).toBeLessThan(21);
    }
    await recordHistory(handle, 'send-hours-across-dst');
  });

  it('never waits past a window that closes at night: the last check is the last one inside the hours', async () => {
    const t0 = await h.now();
    // Japan, Asia/Tokyo (UTC+9, no daylight saving). The window opens at 20:00 JST (11:00 UTC) and closes 31 hours
    // later at 03:00 JST; checks every 6 hours.
    const solicitAfter = Math.floor(t0 / DAY) * DAY + 3 * DAY + 11 * HOUR;
    const solicitBefore = solicitAfter + 31 * HOUR;
    const order = mfnOrder(t0, solicitAfter - 5 * DAY, solicitAfter - 5 * DAY);
    const input = {
      ...order,
      marketplaceId: 'A1VC38T7YXB528',
      policy: <SolicitationPolicy>{
        ...DEFAULT_POLICY,
        windowClosesAfterLatestDelivery: '151 hours',
        recheckInterval: '6 hours',
        sendHours: NINE_TO_NINE,
      },
    };
    h.fake.script(input.amazonOrderId, { check: () => [] });
    const handle = await h.start(input);
    expect(await handle.query(statusQuery)).toMatchObject({ solicitBefore: new Date(solicitBefore).toISOString() });

    const result = await handle.result();
    // 20:00 JST; the 02:00 check waits for 09:00; then 14:00 and 20:00 on the schedule; the 02:00 one after it has
    // no opening left before the close.
    expect(result).toMatchObject({ outcome: 'expired', checks: 4 });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check').map((call) => call.at);
    expect(checks).toHaveLength(4);
    [0, 13, 18, 24].map((hours) => solicitAfter + hours * HOUR).forEach((at, k) => expectAt(checks[k], at));
    const history = (await handle.fetchHistory()).events ?? [];
    const completedAt = Number(history.at(-1)?.eventTime?.seconds) * 1000;
    expect(completedAt).toBeGreaterThanOrEqual(solicitBefore - 1000);
    await recordHistory(handle, 'send-hours-window-closes-at-night');
  });
});
