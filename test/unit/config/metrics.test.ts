import { z } from 'zod';
import { metricsAddressSetting } from '../../../src/config/metrics';
import { parseEnv } from '../../../src/config/env';

const schema = z.object({ METRICS_ADDRESS: metricsAddressSetting });

describe('METRICS_ADDRESS', () => {
  it.each(['0.0.0.0:9464', '127.0.0.1:1', '[::]:9464', '[::1]:65535'])('takes %s', (address) => {
    expect(parseEnv(schema, { METRICS_ADDRESS: address })).toEqual({ METRICS_ADDRESS: address });
  });

  it('is optional', () => {
    expect(parseEnv(schema, {})).toEqual({});
  });

  // The SDK's exporter binds a socket address: a host name would fail later, inside the runtime.
  it.each([
    'localhost:9464',
    '9464',
    '0.0.0.0',
    '0.0.0.0:0',
    '0.0.0.0:65536',
    '::1:9464',
    '[0.0.0.0]:9464',
    '1.2.3:80',
  ])('refuses %s with one line naming the variable', (address) => {
    expect(() => parseEnv(schema, { METRICS_ADDRESS: address })).toThrow(
      'METRICS_ADDRESS: must be IP:port, such as 0.0.0.0:9464 or [::]:9464',
    );
  });
});
