import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { LocalServerKind } from './processes';

/** Credentials a local SQS server accepts; never used against AWS. */
export const LOCAL_SQS_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localSqsClient(endpoint: string, config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint, credentials: LOCAL_SQS_CREDENTIALS, ...config });
}

export const LOCAL_SQS_SERVER: LocalServerKind<SQSClient> = {
  tool: 'sqs-server',
  what: 'SQS server',
  client: (endpoint) => localSqsClient(endpoint),
  ping: (sqs) => sqs.send(new ListQueuesCommand({})),
};

export interface QueuePair {
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
}

/**
 * The ORDER_CHANGE queue and its dead-letter queue: a message received `maxReceiveCount` times without
 * being deleted (not JSON, failing the schema, an unknown seller) moves to `<name>-dlq`.
 * Creating a queue that exists with the same attributes is a no-op, so this is safe to repeat.
 */
export async function ensureQueueWithDeadLetterQueue(
  sqs: SQSClient,
  name: string,
  { maxReceiveCount = 3, visibilityTimeoutSeconds = 30 } = {},
): Promise<QueuePair> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const deadLetterQueueArn = await queueArn(sqs, deadLetterQueueUrl);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl!;
  return { queueUrl, queueArn: await queueArn(sqs, queueUrl), deadLetterQueueUrl, deadLetterQueueArn };
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS did not return the ARN of ${queueUrl}`);
  return arn;
}
