import { ConfigError } from '../../../src/errors';
import {
  marketplacesServedFromEnv,
  servedMarketplacesFromEnv,
  servesMarketplace,
} from '../../../src/config/marketplaces';
import { policyFromEnv } from '../../../src/config/policy';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { liveSellers, singleSeller, type SellerEntry } from '../../../src/spapi/sellers';

/** What a new order gets with no seller control set (the check schedule of new orders included). */
const NEW_ORDER_POLICY = {
  ...DEFAULT_POLICY,
  checkSchedule: 'window-aware',
  maxRecheckGap: '7 days',
  spread: '1 hour',
  checkAndSend: true,
};

describe('SOLICIT_DRY_RUN and SOLICIT_SEND_HOURS in the policy of new orders', () => {
  it('are left out of the policy when unset or at their defaults, so orders send at any time', () => {
    expect(policyFromEnv({})).toEqual(NEW_ORDER_POLICY);
    expect(policyFromEnv({ SOLICIT_DRY_RUN: 'false', SOLICIT_SEND_HOURS: '' })).toEqual(NEW_ORDER_POLICY);
  });

  it('are copied into the policy when set', () => {
    expect(policyFromEnv({ SOLICIT_DRY_RUN: 'true', SOLICIT_SEND_HOURS: '09:00-21:00' })).toEqual({
      ...NEW_ORDER_POLICY,
      dryRun: true,
      sendHours: { from: '09:00', to: '21:00' },
    });
    expect(policyFromEnv({ SOLICIT_SEND_HOURS: '22:00-06:00' }).sendHours).toEqual({ from: '22:00', to: '06:00' });
  });

  it.each<[Record<string, string>, string]>([
    [{ SOLICIT_DRY_RUN: 'yes' }, "SOLICIT_DRY_RUN: must be 'true' or 'false'"],
    [{ SOLICIT_DRY_RUN: 'True' }, "SOLICIT_DRY_RUN: must be 'true' or 'false'"],
    ...['9-17', '09:00', '09:00-09:00', '25:00-06:00', '09:00 to 17:00'].map(
      (value): [Record<string, string>, string] => [
        { SOLICIT_SEND_HOURS: value },
        "SOLICIT_SEND_HOURS: must be HH:MM-HH:MM on a 24-hour clock, such as '09:00-21:00' (unset: any time)",
      ],
    ),
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => policyFromEnv(env)).toThrow(new ConfigError(message));
  });
});

describe('SOLICIT_MARKETPLACES', () => {
  it('is every marketplace when unset', () => {
    expect(servedMarketplacesFromEnv({})).toBeUndefined();
    expect(servesMarketplace(undefined, 'A1PA6795UKMFR9')).toBe(true);
  });

  it('takes comma-separated marketplace IDs, and serves only those', () => {
    const served = servedMarketplacesFromEnv({ SOLICIT_MARKETPLACES: 'ATVPDKIKX0DER, A2EUQ1WTGCTBG2,ATVPDKIKX0DER' });
    expect(served).toEqual(['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2']);
    expect(servesMarketplace(served, 'A2EUQ1WTGCTBG2')).toBe(true);
    expect(servesMarketplace(served, 'A1PA6795UKMFR9')).toBe(false);
  });

  it.each([
    ['ATVPDKIKX0DER,XX', "SOLICIT_MARKETPLACES: 'XX' is not one of Amazon's marketplace IDs"],
    [
      'ATVPDKIKX0DER,',
      'SOLICIT_MARKETPLACES: must be marketplace IDs separated by commas, such as ATVPDKIKX0DER,A2EUQ1WTGCTBG2',
    ],
    ['toString', "SOLICIT_MARKETPLACES: 'toString' is not one of Amazon's marketplace IDs"],
  ])('refuses %j with one line naming the variable', (value, message) => {
    expect(() => servedMarketplacesFromEnv({ SOLICIT_MARKETPLACES: value })).toThrow(new ConfigError(message));
  });
});

describe('marketplacesServedFromEnv', () => {
  const fileSellers = (entries: Record<string, SellerEntry>) => {
    let current = new Map(Object.entries(entries));
    return {
      sellers: liveSellers(() => current),
      replace: (next: typeof entries) => (current = new Map(Object.entries(next))),
    };
  };

  it('serves SOLICIT_MARKETPLACES for any seller without a sellers file, and all when unset', () => {
    const served = marketplacesServedFromEnv(undefined, { SOLICIT_MARKETPLACES: 'A2EUQ1WTGCTBG2' });
    expect(served.serves('A1ANY', 'A2EUQ1WTGCTBG2')).toBe(true);
    expect(served.serves('A1ANY', 'ATVPDKIKX0DER')).toBe(false);
    expect(served.setting).toBe('SOLICIT_MARKETPLACES');
    const single = marketplacesServedFromEnv(singleSeller('Atzr|token'), {});
    expect(single.serves('A1ANY', 'A1PA6795UKMFR9')).toBe(true);
    expect(single.summary).toBe('all');
  });

  it("serves each seller's marketplaces of the sellers file, all where absent, as the file is now", () => {
    const file = fileSellers({
      A1LIMITED: { refreshToken: 'one', marketplaces: ['ATVPDKIKX0DER'] },
      A2OPEN: { refreshToken: 'two' },
    });
    const served = marketplacesServedFromEnv(file.sellers, {});
    expect(served.setting).toBe('SPAPI_SELLERS_FILE');
    expect(served.serves('A1LIMITED', 'ATVPDKIKX0DER')).toBe(true);
    expect(served.serves('A1LIMITED', 'A2EUQ1WTGCTBG2')).toBe(false);
    expect(served.serves('A2OPEN', 'A2EUQ1WTGCTBG2')).toBe(true);
    file.replace({
      A1LIMITED: { refreshToken: 'one', marketplaces: ['A2EUQ1WTGCTBG2'] },
      A2OPEN: { refreshToken: 'two' },
    });
    expect(served.serves('A1LIMITED', 'ATVPDKIKX0DER')).toBe(false);
    expect(served.serves('A1LIMITED', 'A2EUQ1WTGCTBG2')).toBe(true);
  });

  it('refuses SOLICIT_MARKETPLACES beside a sellers file, which it would not apply to', () => {
    const { sellers } = fileSellers({ A1: { refreshToken: 'one' } });
    expect(() => marketplacesServedFromEnv(sellers, { SOLICIT_MARKETPLACES: 'ATVPDKIKX0DER' })).toThrow(
      new ConfigError(
        'SOLICIT_MARKETPLACES: applies to a single LWA_REFRESH_TOKEN; with SPAPI_SELLERS_FILE give each seller ' +
          'its "marketplaces" in the file',
      ),
    );
  });
});
