import type { MetricMeter } from '@temporalio/common';
import type { SellerEntry } from '../spapi/sellers';

const DAY_MS = 86_400_000;
/** A public app's seller authorization lasts 365 days. */
export const AUTHORIZATION_LIFETIME_DAYS = 365;
/** A newly connected seller's orders shipped this many days back are caught up. */
export const CATCH_UP_DAYS = 30;
/** The page, `solicit stats` and the shipped alert warn this long before. */
export const AUTHORIZATION_WARNING_DAYS = 30;

export const AUTHORIZATION_EXPIRY_METRIC = {
  name: 'spapi_seller_authorization_expiry_timestamp_seconds',
  description: "When each seller's authorization of the app must be renewed: authorizedAt + 365 days",
} as const;

/** When the seller must authorize the app again, or undefined when its `authorizedAt` is unknown. */
export function reauthorizationDue(entry: SellerEntry): Date | undefined {
  if (entry.authorizedAt === undefined) return undefined;
  const at = Date.parse(entry.authorizedAt);
  return Number.isNaN(at) ? undefined : new Date(at + AUTHORIZATION_LIFETIME_DAYS * DAY_MS);
}

/** Sellers whose re-authorization is due within the warning period (or overdue), soonest first. */
export function sellersDueSoon(
  sellers: ReadonlyMap<string, SellerEntry>,
  now: Date,
): { sellerId: string; due: Date }[] {
  const horizon = now.getTime() + AUTHORIZATION_WARNING_DAYS * DAY_MS;
  return [...sellers]
    .flatMap(([sellerId, entry]) => {
      const due = reauthorizationDue(entry);
      return due !== undefined && due.getTime() <= horizon ? [{ sellerId, due }] : [];
    })
    .sort((a, b) => a.due.getTime() - b.due.getTime());
}

/**
 * Keeps `spapi_seller_authorization_expiry_timestamp_seconds{seller}` at each seller's due date, looking
 * at the sellers store on a timer so that a seller connected on the Sellers page shows within seconds.
 */
export function exportAuthorizationExpiry(
  meter: MetricMeter,
  sellers: () => ReadonlyMap<string, SellerEntry> | undefined,
  everyMs = 10_000,
): () => void {
  const { name, description } = AUTHORIZATION_EXPIRY_METRIC;
  const gauge = meter.createGauge(name, 'float', 's', description);
  const update = () => {
    for (const [seller, entry] of sellers() ?? []) {
      const due = reauthorizationDue(entry);
      if (due !== undefined) gauge.set(due.getTime() / 1000, { seller });
    }
  };
  update();
  const timer = setInterval(update, everyMs).unref();
  return () => clearInterval(timer);
}
