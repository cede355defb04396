import { createServer, type Server } from 'node:http';

/**
 * What `solicit ingest` serves at METRICS_ADDRESS (docs/spec.md, "Metrics"). Ingest is no Temporal worker, so
 * it has no SDK exporter: these few series are kept here and written in Prometheus' text format.
 */
export type IngestOutcome = 'started' | 'signalled' | 'unchanged' | 'closed' | 'ignored' | 'conflict' | 'dead-letter';

const OUTCOMES: readonly IngestOutcome[] = [
  'started',
  'signalled',
  'unchanged',
  'closed',
  'ignored',
  'conflict',
  'dead-letter',
];

export interface IngestMetrics {
  countMessage(outcome: IngestOutcome): void;
  setTemporalAvailable(available: boolean): void;
  setClientSecretExpiry(expiresAt: Date): void;
  /** The Prometheus text exposition of every series. */
  render(): string;
}

export function createIngestMetrics(): IngestMetrics {
  const messages = new Map<IngestOutcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
  let temporalAvailable = 1;
  let secretExpiry: number | undefined;
  return {
    countMessage(outcome) {
      messages.set(outcome, (messages.get(outcome) ?? 0) + 1);
    },
    setTemporalAvailable(available) {
      temporalAvailable = available ? 1 : 0;
    },
    setClientSecretExpiry(expiresAt) {
      secretExpiry = expiresAt.getTime() / 1000;
    },
    render() {
      const lines = [
        '# HELP ingest_messages_total SQS messages handled, by outcome',
        '# TYPE ingest_messages_total counter',
        ...[...messages].map(([outcome, count]) => `ingest_messages_total{outcome="${outcome}"} ${count}`),
        '# HELP ingest_temporal_available 1 while Temporal takes calls, 0 while ingest waits for it',
        '# TYPE ingest_temporal_available gauge',
        `ingest_temporal_available ${temporalAvailable}`,
      ];
      if (secretExpiry !== undefined) {
        lines.push(
          "# HELP lwa_client_secret_expiry_timestamp_seconds When the LWA client secret expires, from Amazon's notification",
          '# TYPE lwa_client_secret_expiry_timestamp_seconds gauge',
          `lwa_client_secret_expiry_timestamp_seconds ${secretExpiry}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

/** Serves `/metrics` at `host:port` (an IP address, as METRICS_ADDRESS requires); resolves once listening. */
export async function serveIngestMetrics(metrics: IngestMetrics, address: string): Promise<Server> {
  const match = /^(?:\[(.+)\]|([^:]+)):(\d+)$/.exec(address);
  const host = match?.[1] ?? match?.[2] ?? '0.0.0.0';
  const port = Number(match?.[3]);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
