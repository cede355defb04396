import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Sends every body, ten to a request, all requests at once; resolves with the message IDs in order. */
export async function sendAll(sqs: SQSClient, queueUrl: string, bodies: string[]): Promise<string[]> {
  const chunks = Array.from({ length: Math.ceil(bodies.length / 10) }, (_, i) => bodies.slice(i * 10, i * 10 + 10));
  const sent = await Promise.all(
    chunks.map(async (chunk, c) => {
      const { Successful, Failed } = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
      if (Failed?.length) throw new Error(`SQS refused ${Failed.length} messages of chunk ${c}`);
      return chunk.map((_, i) => Successful!.find((entry) => entry.Id === String(i))!.MessageId!);
    }),
  );
  return sent.flat();
}

/** Messages on the queue, visible or in someone's hands. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/** Receives (without deleting) until `count` distinct messages were seen; their bodies by message ID. */
export async function peekMessages(sqs: SQSClient, queueUrl: string, count: number): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const deadline = Date.now() + 30_000;
  while (seen.size < count && Date.now() < deadline) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    for (const message of Messages ?? []) seen.set(message.MessageId!, message.Body!);
  }
  return seen;
}

/** The settings of `solicit ingest` that read `queueUrl` on the local SQS-compatible server. */
export function localQueueEnv(queueUrl: string): Record<string, string> {
  return {
    SQS_QUEUE_URL: queueUrl,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SQS: new URL(queueUrl).origin,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}
