import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { parseEnv } from '../../config/env';
import { connectClient, temporalSettings } from '../../config/temporal';
import { feedDemo, planDemo } from '../../local/demo-feed';
import type { DemoOrder } from '../../local/demo-orders';
import { print } from './output';

const feedEnvSchema = z.object({
  SQS_QUEUE_URL: z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? 'is required to feed the demo (or --no-demo): the ORDER_CHANGE queue'
        : 'must be a URL',
  }),
});

/**
 * The demo orders into the queue of SQS_QUEUE_URL, once: Temporal (from the environment's connection
 * settings) says whether they were fed before. `tellAmazon` makes each order known to the SP-API side first.
 */
export async function feedDemoFromEnv(sellerId: string, tellAmazon: (order: DemoOrder) => void): Promise<void> {
  const { SQS_QUEUE_URL: queueUrl } = parseEnv(feedEnvSchema);
  const client = await connectClient(temporalSettings());
  const sqs = new SQSClient({});
  try {
    const plan = await planDemo(client, sellerId);
    plan.orders.forEach(tellAmazon);
    const fed = await feedDemo(sqs, queueUrl, client, plan);
    print(
      fed.length === 0
        ? 'Demo orders: already in Temporal, so not fed again.'
        : `Demo orders: ${fed.join(', ')} fed into ${queueUrl}.`,
    );
  } finally {
    sqs.destroy();
    await client.connection.close();
  }
}
