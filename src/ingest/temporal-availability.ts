import { isGrpcServiceError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { causes } from '../errors';
import { GrpcStatus, outageReason } from '../grpc';
import type { Logger } from '../logging';

/**
 * Why a failed Temporal call is Temporal's fault and not the message's (unreachable, too slow, refusing
 * the credentials, the namespace gone, out of capacity), or undefined when the message may be to blame.
 */
export function temporalOutageReason(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    if (cause instanceof NamespaceNotFoundError) return 'namespace not found';
    if (isGrpcServiceError(cause)) {
      const code: number = cause.code;
      if (code === GrpcStatus.NotFound && /namespace/i.test(cause.details)) return 'namespace not found';
      return outageReason(code);
    }
  }
  return undefined;
}

export interface TemporalAvailabilityOptions {
  /** A cheap call that succeeds only when Temporal takes calls again (e.g. DescribeNamespace). */
  probe: () => Promise<void>;
  logger: Logger;
  /** Told every change, and the initial `true`. */
  onChange?: (available: boolean) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A failure this soon after Temporal answered again continues the same outage (a server still starting
   * answers the probe before it takes every call): receiving stops again, but no second pair of log lines.
   */
  settleMs?: number;
}

export interface TemporalAvailability {
  readonly available: boolean;
  /** Marks Temporal down (once per outage: one log line) and probes until it answers. */
  reportOutage(reason: string): void;
  /** Resolves when Temporal is available, or at once after `close()`. */
  whenAvailable(): Promise<void>;
  /** Ends probing; waiters are released. */
  close(): void;
}

/**
 * Holds ingest while Temporal is out: receiving waits on `whenAvailable()`, so messages stay in the queue
 * (spending no receive count) instead of being received and failed until the redrive policy moves them
 * to the dead-letter queue. Probes back off from about 1 s to 30 s.
 */
export function createTemporalAvailability({
  probe,
  logger,
  onChange,
  firstDelayMs = 1_000,
  maxDelayMs = 30_000,
  settleMs = 60_000,
}: TemporalAvailabilityOptions): TemporalAvailability {
  let available = true;
  let answeredAt: number | undefined;
  let closed = false;
  let release: () => void = () => undefined;
  let back: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  onChange?.(true);

  const recover = (downSince: number, continued: boolean) => {
    available = true;
    answeredAt = Date.now();
    onChange?.(true);
    if (!continued) {
      logger.info('Temporal answers again: ingest resumes receiving', {
        outageSeconds: (Date.now() - downSince) / 1000,
      });
    }
    release();
  };

  const probeAfter = (delayMs: number, downSince: number, continued: boolean) => {
    timer = setTimeout(() => {
      timer = undefined;
      probe().then(
        () => {
          if (!closed) recover(downSince, continued);
        },
        () => {
          if (!closed) probeAfter(Math.min(delayMs * 2, maxDelayMs), downSince, continued);
        },
      );
    }, delayMs);
  };

  return {
    get available() {
      return available;
    },
    reportOutage(reason) {
      if (!available || closed) return;
      available = false;
      back = new Promise((resolve) => (release = resolve));
      onChange?.(false);
      const continued = answeredAt !== undefined && Date.now() - answeredAt < settleMs;
      if (!continued) logger.error('Temporal is not taking calls: ingest stops receiving until it answers', { reason });
      probeAfter(firstDelayMs, Date.now(), continued);
    },
    whenAvailable() {
      return available || closed ? Promise.resolve() : back;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      release();
    },
  };
}
