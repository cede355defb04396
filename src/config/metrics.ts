import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * METRICS_ADDRESS: where `solicit worker` serves Prometheus metrics (`/metrics`). The SDK's exporter
 * binds a socket address, so the host must be an IP address: 0.0.0.0 for every interface.
 */
export const metricsAddressSetting = z
  .string()
  .refine(
    (value) => {
      const match = /^(?:\[(.+)\]|([^:]+)):(\d{1,5})$/.exec(value);
      const host = match?.[1] ?? match?.[2];
      const ipVersion = host === undefined ? 0 : isIP(host);
      const port = Number(match?.[3]);
      return (match?.[1] === undefined ? ipVersion === 4 : ipVersion === 6) && port >= 1 && port <= 65535;
    },
    { error: 'must be IP:port, such as 0.0.0.0:9464 or [::]:9464' },
  )
  .optional();
