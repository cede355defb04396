import { parseCommandLine } from '../../../src/cli/arguments';
import { devCommandLine, devOptions } from '../../../src/cli/dev/options';

const parse = (...argv: string[]) => devOptions(parseCommandLine(devCommandLine, argv));

it('takes a metrics port for the worker (ingest on the next one) and a data folder', () => {
  expect(parse('--metrics-port', '9464', '--data-dir', '/tmp/stack')).toMatchObject({
    metricsPort: 9464,
    dataDir: '/tmp/stack',
  });
  expect(parse()).not.toHaveProperty('metricsPort');
  expect(parse()).not.toHaveProperty('dataDir');
});

it('refuses a metrics port with no next port for ingest, and the stack options with --simulator-only', () => {
  expect(() => parse('--metrics-port', '65535')).toThrow('--metrics-port must be a port number up to 65534');
  expect(() => parse('--simulator-only', '--metrics-port', '9464')).toThrow(
    '--metrics-port does not go with --simulator-only',
  );
  expect(() => parse('--simulator-only', '--data-dir', '/tmp/stack')).toThrow(
    '--data-dir does not go with --simulator-only',
  );
});
