import { ConfigError } from '../../errors';
import { metricsAddressSetting } from '../../config/metrics';

export interface DevMetrics {
  worker: string;
  ingest: string;
}

/**
 * Where `solicit dev`'s worker and ingest serve Prometheus metrics: one address each, since two processes
 * cannot bind one. `--metrics-port N` gives the worker 127.0.0.1:N; otherwise METRICS_ADDRESS, if set, is the
 * worker's. Ingest takes the next port on the same host.
 */
export function devMetrics(port: number | undefined, metricsAddress: string | undefined): DevMetrics | undefined {
  if (port !== undefined) return { worker: `127.0.0.1:${port}`, ingest: `127.0.0.1:${port + 1}` };
  if (metricsAddress === undefined || metricsAddress === '') return undefined;
  if (!metricsAddressSetting.safeParse(metricsAddress).success) {
    throw new ConfigError('METRICS_ADDRESS must be IP:port, such as 0.0.0.0:9464 or [::]:9464');
  }
  const colon = metricsAddress.lastIndexOf(':');
  const workerPort = Number(metricsAddress.slice(colon + 1));
  if (workerPort === 65535) throw new ConfigError('METRICS_ADDRESS: solicit dev needs the next port too, for ingest');
  return { worker: metricsAddress, ingest: `${metricsAddress.slice(0, colon)}:${workerPort + 1}` };
}
