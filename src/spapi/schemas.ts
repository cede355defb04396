import { z } from 'zod';

/**
 * The parts of Amazon's responses this product reads, checked against the models in
 * Amazon's models (test/fixtures/amazon-models) by the tests. Unknown fields are dropped; values Amazon may extend (statuses,
 * program names) stay strings so that a new value does not turn every response into an error.
 */

/** `{ errors: [{ code, message, details? }] }`, the body of every SP-API error. */
export const amazonErrorsSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().nullish() })),
});
export type AmazonError = z.infer<typeof amazonErrorsSchema>['errors'][number];

const linkSchema = z.object({ href: z.string(), name: z.string().optional() });

export const solicitationActionsSchema = z.object({
  _links: z.object({ actions: z.array(linkSchema) }),
});

// Real answers carry `"eventBridge": null` next to an SQS resource, so either may be null.
export const destinationSchema = z.object({
  destinationId: z.string(),
  name: z.string(),
  resource: z.object({
    sqs: z.object({ arn: z.string() }).nullish(),
    eventBridge: z.object({ name: z.string(), region: z.string(), accountId: z.string() }).nullish(),
  }),
});
export type Destination = z.infer<typeof destinationSchema>;

export const getDestinationsSchema = z.object({ payload: z.array(destinationSchema) });
export const createDestinationSchema = z.object({ payload: destinationSchema });

export const eventFilterSchema = z.object({
  eventFilterType: z.string(),
  orderChangeTypes: z.array(z.string()).optional(),
  marketplaceIds: z.array(z.string()).optional(),
  aggregationSettings: z.object({ aggregationTimePeriod: z.string() }).optional(),
});

export const subscriptionSchema = z.object({
  subscriptionId: z.string(),
  payloadVersion: z.string(),
  destinationId: z.string(),
  processingDirective: z.object({ eventFilter: eventFilterSchema.nullish() }).nullish(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionResponseSchema = z.object({ payload: subscriptionSchema });

const dateTimeRangeSchema = z.object({
  earliestDateTime: z.string().optional(),
  latestDateTime: z.string().optional(),
});

/** Orders API v2026-01-01 `Order`, reduced to what deciding a solicitation window needs. */
export const orderSchema = z.object({
  orderId: z.string(),
  createdTime: z.string(),
  lastUpdatedTime: z.string(),
  salesChannel: z.object({ channelName: z.string(), marketplaceId: z.string().optional() }),
  fulfillment: z
    .object({
      fulfillmentStatus: z.string(),
      fulfilledBy: z.string().optional(),
      shipByWindow: dateTimeRangeSchema.optional(),
      deliverByWindow: dateTimeRangeSchema.optional(),
    })
    .optional(),
  packages: z
    .array(
      z.object({
        packageReferenceId: z.string(),
        shipTime: z.string().optional(),
        packageStatus: z.object({ status: z.string() }).optional(),
      }),
    )
    .optional(),
});
export type Order = z.infer<typeof orderSchema>;

export const searchOrdersSchema = z.object({
  orders: z.array(orderSchema),
  pagination: z.object({ nextToken: z.string().optional() }).nullish(),
  createdBefore: z.string().optional(),
  lastUpdatedBefore: z.string().optional(),
});

/** LWA's answer to both grants. */
export const lwaTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

/** LWA's error body: `{ error, error_description }`. */
export const lwaErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
