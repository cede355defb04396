import type { SpApiRegion } from '../spapi/endpoints';
import { SpApiError } from '../spapi/errors';
import {
  ORDER_CHANGE,
  ORDER_CHANGE_PAYLOAD_VERSION,
  ORDER_STATUS_CHANGE_DIRECTIVE,
  type Destination,
  type NotificationsClient,
  type Subscription,
} from '../spapi/notifications-client';

export interface SubscribeSeller {
  /** What the SP-API client looks the refresh token up by. */
  sellerId: string;
  /** How the seller is named in the output. */
  label: string;
}

export interface SubscribeOptions {
  notifications: Pick<
    NotificationsClient,
    'getDestinations' | 'createDestination' | 'getSubscription' | 'createSubscription' | 'deleteSubscriptionById'
  >;
  region: SpApiRegion;
  sqsArn: string;
  /** The name a new destination gets; an existing destination for the queue is reused whatever its name. */
  destinationName: string;
  sellers: readonly SubscribeSeller[];
  /** Replace a seller's ORDER_CHANGE subscription that delivers elsewhere or filters otherwise. */
  replace: boolean;
}

/**
 * `existing`: already as wanted, left alone. `different`: a subscription delivering elsewhere or filtered
 * otherwise exists and was left alone (no `replace`). `failed`: Amazon refused; `detail` says why.
 */
export type SubscriptionOutcome = 'created' | 'existing' | 'replaced' | 'different' | 'failed';

export interface SellerSubscription {
  seller: SubscribeSeller;
  outcome: SubscriptionOutcome;
  subscriptionId?: string;
  detail?: string;
}

export interface SubscribeResult {
  destination: { destinationId: string; name: string; created: boolean };
  subscriptions: SellerSubscription[];
}

/**
 * Finds or creates the SQS destination (grantless, one per application and region) and, for each seller,
 * the ORDER_CHANGE subscription filtered to order status changes. What exists as wanted is left alone, so
 * running it again changes nothing; a 409 from a concurrent run is read as "exists" and looked up.
 */
export async function subscribe(options: SubscribeOptions): Promise<SubscribeResult> {
  const destination = await ensureDestination(options);
  const subscriptions: SellerSubscription[] = [];
  for (const seller of options.sellers) {
    try {
      subscriptions.push({
        seller,
        ...(await ensureSubscription(options, seller.sellerId, destination.destinationId)),
      });
    } catch (error) {
      // One seller's revoked authorization must not keep the others from being subscribed.
      if (!(error instanceof SpApiError)) throw error;
      subscriptions.push({ seller, outcome: 'failed', detail: error.message });
    }
  }
  return { destination, subscriptions };
}

/** True when every seller is subscribed as wanted. */
export function subscribedAll(result: SubscribeResult): boolean {
  return result.subscriptions.every(({ outcome }) => outcome !== 'different' && outcome !== 'failed');
}

/** True when this run created or replaced anything. */
export function changedAnything(result: SubscribeResult): boolean {
  return (
    result.destination.created ||
    result.subscriptions.some(({ outcome }) => outcome === 'created' || outcome === 'replaced')
  );
}

async function ensureDestination({
  notifications,
  region,
  sqsArn,
  destinationName,
}: SubscribeOptions): Promise<SubscribeResult['destination']> {
  const find = async () => (await notifications.getDestinations({ region })).find(forQueue(sqsArn));
  const existing = await find();
  if (existing) return { destinationId: existing.destinationId, name: existing.name, created: false };
  try {
    const created = await notifications.createDestination({ region, name: destinationName, sqsArn });
    return { destinationId: created.destinationId, name: created.name, created: true };
  } catch (error) {
    if (!(error instanceof SpApiError && error.kind === 'conflict')) throw error;
    const raced = await find();
    if (!raced) throw error;
    return { destinationId: raced.destinationId, name: raced.name, created: false };
  }
}

async function ensureSubscription(
  { notifications, region, replace }: SubscribeOptions,
  sellerId: string,
  destinationId: string,
): Promise<Omit<SellerSubscription, 'seller'>> {
  const notificationType = ORDER_CHANGE;
  const create = () =>
    notifications.createSubscription({
      region,
      sellerId,
      notificationType,
      destinationId,
      payloadVersion: ORDER_CHANGE_PAYLOAD_VERSION,
      processingDirective: ORDER_STATUS_CHANGE_DIRECTIVE,
    });

  let existing = await notifications.getSubscription({ region, sellerId, notificationType });
  if (!existing) {
    try {
      return { outcome: 'created', subscriptionId: (await create()).subscriptionId };
    } catch (error) {
      if (!(error instanceof SpApiError && error.kind === 'conflict')) throw error;
      existing = await notifications.getSubscription({ region, sellerId, notificationType });
      if (!existing) throw error;
    }
  }
  const difference = differenceFromWanted(existing, destinationId);
  if (difference === undefined) return { outcome: 'existing', subscriptionId: existing.subscriptionId };
  if (!replace) return { outcome: 'different', subscriptionId: existing.subscriptionId, detail: difference };
  const deleteOld = () =>
    notifications.deleteSubscriptionById({ region, notificationType, subscriptionId: existing.subscriptionId });
  // The new subscription first: deleting the old one first would drop the notifications sent in between.
  let created: Subscription | undefined;
  try {
    created = await create();
  } catch (error) {
    // Where Amazon holds one subscription of the type only, the gap cannot be avoided: delete, then create.
    if (!(error instanceof SpApiError && error.kind === 'conflict')) throw error;
  }
  await deleteOld();
  created ??= await create();
  return { outcome: 'replaced', subscriptionId: created.subscriptionId, detail: difference };
}

function forQueue(sqsArn: string) {
  return (destination: Destination) => destination.resource.sqs?.arn === sqsArn;
}

/** How an existing subscription differs from the one `subscribe` creates, or undefined when it does not. */
export function differenceFromWanted(subscription: Subscription, destinationId: string): string | undefined {
  if (subscription.destinationId !== destinationId) {
    return `it delivers to destination ${subscription.destinationId}, not to this queue's ${destinationId}`;
  }
  if (subscription.payloadVersion !== ORDER_CHANGE_PAYLOAD_VERSION) {
    return `its payload version is ${subscription.payloadVersion}, not ${ORDER_CHANGE_PAYLOAD_VERSION}`;
  }
  const filter = subscription.processingDirective?.eventFilter;
  const wanted = ORDER_STATUS_CHANGE_DIRECTIVE.eventFilter;
  const types = [...(filter?.orderChangeTypes ?? [])].sort();
  if (
    !filter ||
    filter.eventFilterType !== wanted.eventFilterType ||
    types.join(',') !== [...(wanted.orderChangeTypes ?? [])].sort().join(',')
  ) {
    return `its event filter is ${describeFilter(filter)}, not order status changes only`;
  }
  if (filter.marketplaceIds?.length) {
    return `it delivers the orders of ${filter.marketplaceIds.join(', ')} only`;
  }
  if (filter.aggregationSettings) {
    return `it aggregates notifications over ${filter.aggregationSettings.aggregationTimePeriod}`;
  }
  return undefined;
}

function describeFilter(filter: NonNullable<Subscription['processingDirective']>['eventFilter']): string {
  if (!filter) return 'absent (every kind of order change)';
  const types = filter.orderChangeTypes?.length ? filter.orderChangeTypes.join(', ') : 'every change type';
  return `${filter.eventFilterType} (${types})`;
}
