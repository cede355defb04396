import { ServiceError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { GrpcStatus } from '../../../src/grpc';
import { createLogger } from '../../../src/logging';
import { createTemporalAvailability, temporalOutageReason } from '../../../src/ingest/temporal-availability';
import { TEMPORAL_OUTAGES } from '../../fixtures/temporal-outages';

function grpcError(code: number, details = 'details') {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('temporalOutageReason', () => {
  it.each(TEMPORAL_OUTAGES)('gRPC %s wrapped in a ServiceError is an outage: %s', (code, reason) => {
    expect(temporalOutageReason(new ServiceError('call failed', { cause: grpcError(code) }))).toBe(reason);
  });

  it('a missing namespace is an outage', () => {
    expect(temporalOutageReason(new NamespaceNotFoundError('default'))).toBe('namespace not found');
    expect(temporalOutageReason(grpcError(GrpcStatus.NotFound, 'Namespace default is not found.'))).toBe(
      'namespace not found',
    );
  });

  it.each([
    ['invalid argument', grpcError(GrpcStatus.InvalidArgument)],
    ['a missing workflow', grpcError(GrpcStatus.NotFound, 'workflow not found for ID: 1')],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
  ])('%s is the message’s', (_name, error) => {
    expect(temporalOutageReason(error)).toBeUndefined();
  });
});

describe('createTemporalAvailability', () => {
  const lines: string[] = [];
  const logger = createLogger('info', (line) => lines.push(line));
  beforeEach(() => {
    lines.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('holds waiters through an outage, probes with backoff, logs once each way and reports 0/1', async () => {
    const changes: boolean[] = [];
    const probeTimes: number[] = [];
    let answers = false;
    const start = Date.now();
    const availability = createTemporalAvailability({
      probe: () => {
        probeTimes.push(Date.now() - start);
        return answers ? Promise.resolve() : Promise.reject(new Error('down'));
      },
      logger,
      onChange: (available) => changes.push(available),
      firstDelayMs: 1_000,
      maxDelayMs: 4_000,
    });
    await availability.whenAvailable();

    availability.reportOutage('unavailable');
    availability.reportOutage('unavailable');
    let released = false;
    void availability.whenAvailable().then(() => (released = true));
    await jest.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 + 4_000);
    expect(probeTimes).toEqual([1_000, 3_000, 7_000, 11_000]);
    expect(released).toBe(false);
    expect(availability.available).toBe(false);

    answers = true;
    await jest.advanceTimersByTimeAsync(4_000);
    expect(released).toBe(true);
    expect(availability.available).toBe(true);
    expect(changes).toEqual([true, false, true]);
    const messages = lines.map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toEqual([
      'Temporal is not taking calls: ingest stops receiving until it answers',
      'Temporal answers again: ingest resumes receiving',
    ]);
    availability.close();
  });

  it('takes a failure soon after Temporal answered as the same outage: it waits again, logging nothing new', async () => {
    const changes: boolean[] = [];
    const availability = createTemporalAvailability({
      probe: () => Promise.resolve(),
      logger,
      onChange: (available) => changes.push(available),
      firstDelayMs: 1_000,
      settleMs: 60_000,
    });
    const messages = () => lines.map((line) => (JSON.parse(line) as { message: string }).message);

    availability.reportOutage('unavailable');
    await jest.advanceTimersByTimeAsync(1_000);
    availability.reportOutage('unavailable');
    expect(availability.available).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(availability.available).toBe(true);
    expect(messages()).toEqual([
      'Temporal is not taking calls: ingest stops receiving until it answers',
      'Temporal answers again: ingest resumes receiving',
    ]);

    // Long after it answered, a failure is a new outage, logged again.
    await jest.advanceTimersByTimeAsync(60_000);
    availability.reportOutage('unavailable');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(messages()).toHaveLength(4);
    expect(changes).toEqual([true, false, true, false, true, false, true]);
    availability.close();
  });

  it('releases waiters and stops probing on close', async () => {
    let probes = 0;
    const availability = createTemporalAvailability({
      probe: () => {
        probes += 1;
        return Promise.reject(new Error('down'));
      },
      logger,
    });
    availability.reportOutage('unavailable');
    const waiting = availability.whenAvailable();
    availability.close();
    await waiting;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(probes).toBe(0);
  });
});
