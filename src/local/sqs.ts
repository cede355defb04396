import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { guardedToolPath, startLocalProcess, waitUntil, type LocalProcess } from './processes';

/** Credentials a local SQS server accepts; never used against AWS. */
export const LOCAL_SQS_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localSqsClient(endpoint: string, config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint, credentials: LOCAL_SQS_CREDENTIALS, ...config });
}

export interface LocalSqsServer {
  endpoint: string;
  process: LocalProcess;
}

export async function startLocalSqsServer(port: number, logFile: string): Promise<LocalSqsServer> {
  const endpoint = `http://127.0.0.1:${port}`;
  // In memory, so nothing is lost by a kill; on SIGTERM it would wait for the long polls in progress to end.
  const server = startLocalProcess(guardedToolPath('sqs-server'), [String(port)], logFile, { stopGraceMs: 1000 });
  const sqs = localSqsClient(endpoint);
  try {
    await waitUntil(`SQS server on ${endpoint} (log: ${logFile})`, async () => {
      if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
      await sqs.send(new ListQueuesCommand({}));
    });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    sqs.destroy();
  }
  return { endpoint, process: server };
}

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
