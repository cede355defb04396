import { regionOf } from '../spapi/endpoints';
import type { OrderChangeNotification } from './notification';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * Why a notification that passed the schema still cannot become an order (docs/spec.md, "Ingest rules"), or
 * undefined: a marketplace no SP-API region serves, or a delivery date so far from the notification's
 * time that it can only be a corrupted value, would give a workflow that can never be solicited right.
 */
export function rejectionReason(notification: OrderChangeNotification): string | undefined {
  const { Summary: summary } = notification.Payload.OrderChangeNotification;
  if (regionOf(summary.MarketplaceId) === undefined) {
    return `marketplace ${summary.MarketplaceId} is not one the product can route to an SP-API region`;
  }
  const eventTime = Date.parse(notification.EventTime);
  for (const name of ['EarliestDeliveryDate', 'LatestDeliveryDate'] as const) {
    const value = summary[name];
    if (value !== undefined && Math.abs(Date.parse(value) - eventTime) > YEAR_MS) {
      return `${name} ${value} is more than a year from the notification's EventTime ${notification.EventTime}`;
    }
  }
  return undefined;
}
