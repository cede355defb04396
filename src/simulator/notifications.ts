import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conflict, invalidInput, notFound, type SimResponse } from './amazon-errors';
import type { SimulatedSubscription } from './state';
import type { OperationRequest, World } from './world';

const createDestinationRequest = z.object({
  name: z.string().min(1).max(256),
  resourceSpecification: z.object({
    sqs: z.object({
      arn: z
        .string()
        .max(1000)
        .regex(/^arn:aws:sqs:\S+:\S+:\S+/),
    }),
  }),
});

const createSubscriptionRequest = z.object({
  payloadVersion: z.string().min(1),
  destinationId: z.string().min(1),
  processingDirective: z
    .object({
      eventFilter: z
        .object({
          eventFilterType: z.enum(['ANY_OFFER_CHANGED', 'ORDER_CHANGE', 'SHIPMENT_TRACKING_MILESTONE_CHANGED']),
          orderChangeTypes: z
            .array(z.enum(['BuyerRequestedChange', 'DeliveryTipChange', 'OrderStatusChange']))
            .optional(),
          marketplaceIds: z.array(z.string()).optional(),
          aggregationSettings: z.object({ aggregationTimePeriod: z.enum(['FiveMinutes', 'TenMinutes']) }).optional(),
        })
        .optional(),
      filterExpression: z.string().min(1).max(256).optional(),
    })
    .optional(),
});

export function getDestinations(world: World): SimResponse {
  return { status: 200, body: { payload: [...world.destinations.values()] } };
}

export function createDestination(world: World, request: OperationRequest): SimResponse {
  const parsed = createDestinationRequest.safeParse(request.body);
  if (!parsed.success) return invalidInput(describe(parsed.error));
  const { arn } = parsed.data.resourceSpecification.sqs;
  if ([...world.destinations.values()].some((destination) => destination.resource.sqs.arn === arn)) {
    return conflict(`A destination with arn ${arn} already exists for the application ${world.applicationId}`);
  }
  const destination = { destinationId: randomUUID(), name: parsed.data.name, resource: { sqs: { arn } } };
  world.destinations.set(destination.destinationId, destination);
  return { status: 200, body: { payload: destination } };
}

export function getSubscription(world: World, request: OperationRequest): SimResponse {
  const notificationType = request.params.notificationType ?? '';
  // The newest, as Amazon answers when several subscriptions of a type exist.
  const subscription = subscriptionsOf(world, request.sellerId, notificationType).at(-1);
  const payloadVersion = request.query.get('payloadVersion');
  if (!subscription || (payloadVersion !== null && payloadVersion !== subscription.payloadVersion)) {
    return notFound(`No subscription for ${notificationType} exists.`);
  }
  return { status: 200, body: { payload: view(subscription) } };
}

export function createSubscription(world: World, request: OperationRequest): SimResponse {
  const notificationType = request.params.notificationType ?? '';
  const parsed = createSubscriptionRequest.safeParse(request.body);
  if (!parsed.success) return invalidInput(describe(parsed.error));
  const { destinationId, payloadVersion, processingDirective } = parsed.data;
  const filterType = processingDirective?.eventFilter?.eventFilterType;
  if (filterType !== undefined && filterType !== notificationType) {
    return invalidInput(`eventFilterType ${filterType} does not apply to ${notificationType}`);
  }
  if (!world.destinations.has(destinationId)) return invalidInput(`Destination ${destinationId} does not exist.`);
  // Amazon holds several subscriptions of one type when they differ; the same one twice is a conflict.
  const same = JSON.stringify({ payloadVersion, destinationId, processingDirective });
  const existing = subscriptionsOf(world, request.sellerId, notificationType).find(
    (subscription) =>
      JSON.stringify({
        payloadVersion: subscription.payloadVersion,
        destinationId: subscription.destinationId,
        processingDirective: subscription.processingDirective,
      }) === same,
  );
  if (existing) {
    return conflict(`A subscription ${existing.subscriptionId} for ${notificationType} already exists.`);
  }
  const subscription: SimulatedSubscription = {
    sellerId: request.sellerId ?? '',
    notificationType,
    subscriptionId: randomUUID(),
    payloadVersion,
    destinationId,
    ...(processingDirective && { processingDirective }),
  };
  world.subscriptions.set(subscription.subscriptionId, subscription);
  return { status: 200, body: { payload: view(subscription) } };
}

/** Grantless: any subscription of the application, by its ID. */
export function deleteSubscriptionById(world: World, request: OperationRequest): SimResponse {
  const { notificationType, subscriptionId } = request.params;
  for (const [key, subscription] of world.subscriptions) {
    if (subscription.subscriptionId === subscriptionId && subscription.notificationType === notificationType) {
      world.subscriptions.delete(key);
      return { status: 200, body: {} };
    }
  }
  return notFound(`Subscription ${subscriptionId} does not exist.`);
}

function subscriptionsOf(world: World, sellerId: string | undefined, notificationType: string) {
  return [...world.subscriptions.values()].filter(
    (subscription) => subscription.sellerId === (sellerId ?? '') && subscription.notificationType === notificationType,
  );
}

function view({ subscriptionId, payloadVersion, destinationId, processingDirective }: SimulatedSubscription) {
  return {
    subscriptionId,
    payloadVersion,
    destinationId,
    ...(processingDirective !== undefined && { processingDirective }),
  };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}
