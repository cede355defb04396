import { policyFromEnv } from '../../../src/config/policy';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { ConfigError } from '../../../src/errors';

describe('policyFromEnv', () => {
  it('is the default policy with the window-aware check schedule when nothing is set', () => {
    const expected = {
      ...DEFAULT_POLICY,
      checkSchedule: 'window-aware',
      maxRecheckGap: '7 days',
      spread: '1 hour',
      checkAndSend: true,
    };
    expect(DEFAULT_POLICY.checkSchedule).toBeUndefined();
    expect(policyFromEnv({})).toEqual(expected);
    expect(policyFromEnv({ SOLICIT_RECHECK_INTERVAL: '' })).toEqual(expected);
  });

  it('takes the re-check interval and the delivery estimates from the environment', () => {
    expect(
      policyFromEnv({
        SOLICIT_RECHECK_INTERVAL: '12 hours',
        SOLICIT_ESTIMATED_EARLIEST_DELIVERY: '2d',
        SOLICIT_ESTIMATED_LATEST_DELIVERY: '14 days',
      }),
    ).toEqual({
      ...DEFAULT_POLICY,
      checkSchedule: 'window-aware',
      maxRecheckGap: '7 days',
      spread: '1 hour',
      checkAndSend: true,
      recheckInterval: '12 hours',
      estimatedEarliestDeliveryAfterShip: '2d',
      estimatedLatestDeliveryAfterShip: '14 days',
    });
  });

  it('spreads checks over SOLICIT_SPREAD, an hour by default, and not at all with 0', () => {
    expect(policyFromEnv({}).spread).toBe('1 hour');
    expect(policyFromEnv({ SOLICIT_SPREAD: '30m' }).spread).toBe('30m');
    expect(policyFromEnv({ SOLICIT_SPREAD: '0' })).not.toHaveProperty('spread');
  });

  it.each([
    [
      { SOLICIT_SPREAD: '3600' },
      "SOLICIT_SPREAD: must be a duration with a unit, such as '1 hour' or '30m', or '0' for none",
    ],
    [{ SOLICIT_SPREAD: '2 days' }, 'SOLICIT_SPREAD: must be at most 1 day'],
    [
      { SOLICIT_RECHECK_INTERVAL: 'daily' },
      "SOLICIT_RECHECK_INTERVAL: must be a duration with a unit, such as '24 hours', '10 days' or '90m'",
    ],
    [
      { SOLICIT_RECHECK_INTERVAL: '86400' },
      "SOLICIT_RECHECK_INTERVAL: must be a duration with a unit, such as '24 hours', '10 days' or '90m'",
    ],
    [{ SOLICIT_RECHECK_INTERVAL: '30s' }, 'SOLICIT_RECHECK_INTERVAL: must be at least 1 minute'],
    [{ SOLICIT_ESTIMATED_EARLIEST_DELIVERY: '-1d' }, 'SOLICIT_ESTIMATED_EARLIEST_DELIVERY: must be at least 0s'],
    [
      { SOLICIT_ESTIMATED_EARLIEST_DELIVERY: '12 days' },
      'SOLICIT_ESTIMATED_LATEST_DELIVERY: must not be shorter than SOLICIT_ESTIMATED_EARLIEST_DELIVERY',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => policyFromEnv(env)).toThrow(new ConfigError(message));
  });
});
