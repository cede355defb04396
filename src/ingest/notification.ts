import { z } from 'zod';

/**
 * Amazon's ORDER_CHANGE notification (amazon-models/OrderChangeNotification.json), reduced to what the
 * product reads. Only those fields are required; everything else Amazon sends is accepted and dropped,
 * so that a field Amazon adds, renames or leaves out elsewhere in the document never sends a good
 * notification to the dead-letter queue.
 */

/** A field's own message when it holds a wrong value; "is required" when it is missing. */
const unlessMissing = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;

/** An ISO-8601 timestamp with a time zone, a real calendar date; normalised to UTC. */
const timestamp = z.iso
  .datetime({ offset: true, error: unlessMissing('must be an ISO-8601 timestamp with a time zone') })
  .transform((value) => new Date(value).toISOString());

/**
 * Order, seller and marketplace IDs become workflow IDs and search-attribute values that operators put
 * in list filters: letters, digits and the separators Amazon uses, nothing that would need quoting.
 */
const amazonId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be an Amazon identifier (letters, digits, '-', '_', '.')");

/** Amazon sends `null` or `""` for a delivery date it does not have: both count as absent. */
const deliveryDate = z.preprocess(
  (value) => (value === null || value === '' ? undefined : value),
  timestamp.optional(),
);

const summarySchema = z
  .object({
    MarketplaceId: amazonId,
    OrderStatus: z.string().min(1, 'must not be empty'),
    FulfillmentType: z.enum(['MFN', 'AFN'], { error: unlessMissing('must be MFN or AFN') }),
    // Returned only for seller-fulfilled orders.
    EarliestDeliveryDate: deliveryDate,
    LatestDeliveryDate: deliveryDate,
  })
  // Dates in the wrong order still say when delivery is expected: the window between the two.
  .transform((summary) => {
    const { EarliestDeliveryDate: earliest, LatestDeliveryDate: latest } = summary;
    if (earliest === undefined || latest === undefined || Date.parse(latest) >= Date.parse(earliest)) return summary;
    return { ...summary, EarliestDeliveryDate: latest, LatestDeliveryDate: earliest, deliveryDatesReversed: true };
  });

const notificationSchema = z.object({
  NotificationType: z.literal('ORDER_CHANGE', { error: unlessMissing('must be ORDER_CHANGE') }),
  EventTime: timestamp,
  Payload: z.object({
    OrderChangeNotification: z.object({
      SellerId: amazonId,
      AmazonOrderId: amazonId,
      OrderChangeType: z.string().optional(),
      // Amazon sends null when the change has no timestamp of its own; EventTime stands in then.
      OrderChangeTrigger: z.object({ TimeOfOrderChange: timestamp.nullish() }).optional(),
      Summary: summarySchema,
    }),
  }),
  NotificationMetadata: z.object({ NotificationId: z.string().optional() }).optional(),
});

export type OrderChangeNotification = z.output<typeof notificationSchema>;

/** `note`: what was read leniently, worth a log line. */
export type ParseResult =
  { ok: true; notification: OrderChangeNotification; note?: string } | { ok: false; reason: string };

/** Parses an SQS message body. Never throws: a bad body yields a one-line reason fit for a log. */
export function parseOrderChangeNotification(body: string | undefined): ParseResult {
  if (body === undefined || body.trim() === '') return { ok: false, reason: 'empty message body' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // The parser's message quotes the body; the reason stays free of message content.
    return { ok: false, reason: 'not JSON' };
  }
  return validateOrderChangeNotification(value);
}

export function validateOrderChangeNotification(value: unknown): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const result = notificationSchema.safeParse(value, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
  });
  if (result.success) {
    const reversed = 'deliveryDatesReversed' in result.data.Payload.OrderChangeNotification.Summary;
    const note = 'LatestDeliveryDate is before EarliestDeliveryDate: the window is taken between the two';
    return { ok: true, notification: result.data, ...(reversed && { note }) };
  }
  const issue = result.error.issues[0];
  const where = issue?.path.map(String).join('.') || 'notification';
  return { ok: false, reason: `${where}: ${(issue?.message ?? 'invalid').replace(/\s+/g, ' ')}` };
}
