import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ConfigError } from '../errors';
import { readApplicationNotification } from './application-notification';
import { rejectionReason } from './input-rules';
import { parseOrderChangeNotification } from './notification';

export interface RedriveOptions {
  sqs: SQSClient;
  /** The ORDER_CHANGE queue; its redrive policy names the dead-letter queue. */
  queueUrl: string;
  /** Print what would move, move nothing. */
  dryRun: boolean;
  /** Move (or list) at most this many messages. */
  max?: number;
  /** Told one line per message. */
  report: (line: string) => void;
}

export interface RedriveResult {
  deadLetterQueueUrl: string;
  /** Messages moved back (or, in a dry run, that would be). */
  moved: number;
  /** Of those, how many cannot be read: they will return to the dead-letter queue. */
  unreadable: number;
}

/** Long enough to send and delete a batch; a message whose move was cut short shows up again after it. */
const RECEIVE_VISIBILITY_S = 60;

/**
 * Moves the dead-letter queue's messages back to the queue, each sent before it is deleted: a crash in
 * between can only duplicate a message, and ingest dedupes by order ID. Plain SendMessage and
 * DeleteMessage, so it works wherever SQS's API does (StartMessageMoveTask is missing from local servers).
 */
export async function redrive({ sqs, queueUrl, dryRun, max, report }: RedriveOptions): Promise<RedriveResult> {
  const deadLetterQueueUrl = await deadLetterQueueOf(sqs, queueUrl);
  const seen = new Set<string>();
  const held: Message[] = [];
  let moved = 0;
  let unreadable = 0;
  try {
    while (max === undefined || moved < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(10, max === undefined ? 10 : max - moved),
          WaitTimeSeconds: 1,
          VisibilityTimeout: RECEIVE_VISIBILITY_S,
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId!);
        const { text, readable } = describeMessage(message.Body);
        if (!readable) unreadable += 1;
        if (dryRun) {
          held.push(message);
          report(`would move ${message.MessageId}: ${text}`);
        } else {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: queueUrl,
              MessageBody: message.Body ?? '',
              ...(message.MessageAttributes && { MessageAttributes: message.MessageAttributes }),
            }),
          );
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
          report(`moved ${message.MessageId}: ${text}`);
        }
        moved += 1;
      }
    }
  } finally {
    // A dry run gives its messages back at once rather than hiding them for the visibility timeout.
    await releaseAll(sqs, deadLetterQueueUrl, held);
  }
  return { deadLetterQueueUrl, moved, unreadable };
}

/** What a message is, in words: the order and its status, an application notification, or why it cannot be read. */
export function describeMessage(body: string | undefined): { text: string; readable: boolean } {
  const application = readApplicationNotification(body);
  if (application) return { text: application.type, readable: true };
  const parsed = parseOrderChangeNotification(body);
  if (!parsed.ok) return { text: `cannot be read: ${parsed.reason}`, readable: false };
  const order = parsed.notification.Payload.OrderChangeNotification;
  const rejected = rejectionReason(parsed.notification);
  if (rejected)
    return { text: `order ${order.AmazonOrderId} ${order.Summary.OrderStatus}, refused: ${rejected}`, readable: false };
  return { text: `order ${order.AmazonOrderId} ${order.Summary.OrderStatus}`, readable: true };
}

async function deadLetterQueueOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
  );
  const policy = Attributes?.RedrivePolicy;
  let arn: unknown;
  try {
    arn =
      policy === undefined ? undefined : (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch {
    arn = undefined;
  }
  const match = typeof arn === 'string' ? /^arn:[^:]+:sqs:[^:]*:([^:]*):(.+)$/.exec(arn) : null;
  if (!match)
    throw new ConfigError(`SQS_QUEUE_URL: the queue ${queueUrl} has no redrive policy naming a dead-letter queue`);
  const [, account, name] = match;
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, ...(account && { QueueOwnerAWSAccountId: account }) }),
  );
  if (!QueueUrl) throw new Error(`SQS did not return the URL of the dead-letter queue ${String(arn)}`);
  return QueueUrl;
}

async function releaseAll(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, j) => ({
          Id: String(j),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}
