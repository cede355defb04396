import { SQSClient } from '@aws-sdk/client-sqs';
import { parseEnv } from '../../config/env';
import { settingsSchema } from '../../config/settings';
import { sqsClientConfig } from '../../config/sqs';
import { ConfigError } from '../../errors';
import { connectClient, temporalSettings } from '../../config/temporal';
import { feedDemo, planDemo } from '../../local/demo-feed';
import type { DemoOrder } from '../../local/demo-orders';
import { print } from './output';

/**
 * The demo orders into the queue of SQS_QUEUE_URL, once: Temporal (from the environment's connection
 * settings) says whether they were fed before. `tellAmazon` makes each order known to the SP-API side first.
 */
export async function feedDemoFromEnv(sellerId: string, tellAmazon: (order: DemoOrder) => void): Promise<void> {
  if (!process.env.SQS_QUEUE_URL) {
    throw new ConfigError('SQS_QUEUE_URL: is required to feed the demo (or --no-demo): the ORDER_CHANGE queue');
  }
  const { SQS_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: endpoint } = parseEnv(
    settingsSchema('SQS_QUEUE_URL', 'AWS_ENDPOINT_URL_SQS'),
  );
  const client = await connectClient(temporalSettings());
  const sqs = new SQSClient(sqsClientConfig(endpoint));
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
