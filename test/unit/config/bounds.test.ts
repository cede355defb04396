import { parseEnv } from '../../../src/config/env';
import { ConfigError } from '../../../src/errors';
import { policyFromEnv } from '../../../src/config/policy';
import { settingsSchema } from '../../../src/config/settings';

const pacing = settingsSchema('SPAPI_MAX_RPS', 'SPAPI_MAX_TOTAL_RPS');
const RATE = 'must be a plain decimal number of requests per second from 0.01 to 100';

describe('SPAPI_MAX_RPS and SPAPI_MAX_TOTAL_RPS', () => {
  it('default to 1 request per second per seller and no cap on the whole queue', () => {
    expect(parseEnv(pacing, {})).toEqual({ SPAPI_MAX_RPS: 1 });
  });

  it.each([
    ['0.01', 0.01],
    ['0.5', 0.5],
    ['2', 2],
    ['12.25', 12.25],
    ['100', 100],
  ])('take %s', (value, rate) => {
    expect(parseEnv(pacing, { SPAPI_MAX_RPS: value, SPAPI_MAX_TOTAL_RPS: value })).toEqual({
      SPAPI_MAX_RPS: rate,
      SPAPI_MAX_TOTAL_RPS: rate,
    });
  });

  it.each(['1e-300', '0x10', '1e2', 'Infinity', 'NaN', '-1', '0', '0.001', '100.5', '.5', '5.', ' 1', '1/s', '1,5'])(
    'refuse %j with one line naming the variable and not the value',
    (value) => {
      for (const variable of ['SPAPI_MAX_RPS', 'SPAPI_MAX_TOTAL_RPS']) {
        const run = () => parseEnv(pacing, { [variable]: value });
        expect(run).toThrow(new ConfigError(`${variable}: ${RATE}`));
      }
    },
  );
});

describe('policy durations', () => {
  it.each([
    [{ SOLICIT_RECHECK_INTERVAL: '31 days' }, 'SOLICIT_RECHECK_INTERVAL: must be at most 30 days'],
    [{ SOLICIT_RECHECK_INTERVAL: '99999999999 days' }, 'SOLICIT_RECHECK_INTERVAL: must be at most 30 days'],
    [{ SOLICIT_ESTIMATED_EARLIEST_DELIVERY: '61d' }, 'SOLICIT_ESTIMATED_EARLIEST_DELIVERY: must be at most 60 days'],
    [{ SOLICIT_ESTIMATED_LATEST_DELIVERY: '1000 weeks' }, 'SOLICIT_ESTIMATED_LATEST_DELIVERY: must be at most 60 days'],
  ])('refuse %j beyond their bound', (env, message) => {
    expect(() => policyFromEnv(env)).toThrow(new ConfigError(message));
  });

  it('take their bounds themselves', () => {
    expect(
      policyFromEnv({ SOLICIT_RECHECK_INTERVAL: '30 days', SOLICIT_ESTIMATED_LATEST_DELIVERY: '60 days' }),
    ).toMatchObject({ recheckInterval: '30 days', estimatedLatestDeliveryAfterShip: '60 days' });
  });
});
