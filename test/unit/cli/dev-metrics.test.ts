import { devMetrics } from '../../../src/cli/dev/metrics';

it('gives the worker and ingest one metrics address each: --metrics-port, else METRICS_ADDRESS, ingest on the next port', () => {
  expect(devMetrics(9464, '0.0.0.0:9000')).toEqual({ worker: '127.0.0.1:9464', ingest: '127.0.0.1:9465' });
  expect(devMetrics(undefined, '0.0.0.0:9464')).toEqual({ worker: '0.0.0.0:9464', ingest: '0.0.0.0:9465' });
  expect(devMetrics(undefined, '[::1]:9464')).toEqual({ worker: '[::1]:9464', ingest: '[::1]:9465' });
  expect(devMetrics(undefined, undefined)).toBeUndefined();
  expect(devMetrics(undefined, '')).toBeUndefined();
});

it('refuses a METRICS_ADDRESS it cannot split in two, with one line', () => {
  expect(() => devMetrics(undefined, 'localhost:9464')).toThrow(
    'METRICS_ADDRESS must be IP:port, such as 0.0.0.0:9464 or [::]:9464',
  );
  expect(() => devMetrics(undefined, '127.0.0.1:65535')).toThrow(
    'METRICS_ADDRESS: solicit dev needs the next port too, for ingest',
  );
});
