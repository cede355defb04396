import { createIngestMetrics } from '../../../src/ingest/metrics';

describe('createIngestMetrics', () => {
  it('renders every outcome, the availability gauge and, once known, the secret expiry', () => {
    const metrics = createIngestMetrics();
    expect(metrics.render()).not.toContain('lwa_client_secret_expiry_timestamp_seconds');
    metrics.countMessage('started');
    metrics.countMessage('started');
    metrics.countMessage('dead-letter');
    metrics.setTemporalAvailable(false);
    metrics.setClientSecretExpiry(new Date('2025-04-01T00:00:00Z'));
    const text = metrics.render();
    for (const line of [
      'ingest_messages_total{outcome="started"} 2',
      'ingest_messages_total{outcome="signalled"} 0',
      'ingest_messages_total{outcome="unchanged"} 0',
      'ingest_messages_total{outcome="closed"} 0',
      'ingest_messages_total{outcome="ignored"} 0',
      'ingest_messages_total{outcome="dead-letter"} 1',
      'ingest_temporal_available 0',
      `lwa_client_secret_expiry_timestamp_seconds ${Date.parse('2025-04-01T00:00:00Z') / 1000}`,
      '# TYPE ingest_messages_total counter',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });
});
