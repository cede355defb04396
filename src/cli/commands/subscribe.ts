import { parseEnv } from '../../config/env';
import { settingsSchema } from '../../config/settings';
import { createLogger } from '../../logging';
import { spApiClientsFromEnv } from '../../spapi/from-env';
import type { SellerAuthorizations } from '../../spapi/sellers';
import { parseSqsArn, queuePolicy, SP_API_NOTIFICATIONS_ACCOUNT } from '../../subscribe/queue-policy';
import {
  changedAnything,
  subscribe,
  subscribedAll,
  type SellerSubscription,
  type SubscribeResult,
  type SubscribeSeller,
} from '../../subscribe/subscribe';
import { defineCommand } from '../command';
import { environment, SP_API_CREDENTIALS } from '../environment';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { DEFAULT_REGION, regionOption } from '../marketplace-scope';
import { UsageError } from '../../errors';

const envSchema = settingsSchema('LOG_LEVEL');

export const command = defineCommand(
  {
    name: 'subscribe',
    summary: 'creates (or reuses) the SQS destination and the filtered ORDER_CHANGE subscription',
    description: `Makes Amazon deliver ORDER_CHANGE notifications, filtered to order status changes, to the SQS queue
that 'solicit ingest' reads. Finds or creates the queue's destination (one per app and region), then
for each seller finds or creates the subscription. Running it again changes nothing and says so. It
ends by printing the queue access policy Amazon's account ${SP_API_NOTIFICATIONS_ACCOUNT} needs to send to the queue.`,
    options: {
      'sqs-arn': {
        type: 'string',
        value: 'ARN',
        required: true,
        description: "the queue's ARN, arn:aws:sqs:REGION:ACCOUNT:NAME",
      },
      region: {
        type: 'string',
        value: 'na|eu|fe',
        default: DEFAULT_REGION,
        description: "the selling region of the sellers' marketplaces",
      },
      replace: {
        type: 'boolean',
        description: `replace a seller's ORDER_CHANGE subscription that delivers elsewhere or is filtered
otherwise; without it such a subscription is reported and left alone (exit 1)`,
      },
    },
    notes: ['Sellers: the one of LWA_REFRESH_TOKEN, or every seller of SPAPI_SELLERS_FILE.'],
    environment: [...SP_API_CREDENTIALS, ...environment('LOG_LEVEL')],
  },
  async ({ options }) => {
    const sqsArn = options['sqs-arn'];
    const queue = parseSqsArn(sqsArn);
    if (!queue) throw new UsageError(`--sqs-arn must be an SQS queue ARN, arn:aws:sqs:REGION:ACCOUNT:NAME`);
    const region = regionOption(options.region) ?? DEFAULT_REGION;
    const env = parseEnv(envSchema);
    const { notifications, sellers } = spApiClientsFromEnv(process.env, { logger: createLogger(env.LOG_LEVEL) });

    const result = await subscribe({
      notifications,
      region,
      sqsArn,
      destinationName: queue.queueName,
      sellers: sellersToSubscribe(sellers),
      replace: options.replace,
    });
    process.stdout.write(`${describeResult(result, sqsArn)}\n\n${policyText(sqsArn)}\n`);
    return subscribedAll(result) ? EXIT_OK : EXIT_FAILURE;
  },
);

function sellersToSubscribe(sellers: SellerAuthorizations): SubscribeSeller[] {
  // With one refresh token the seller's ID is unknown, and not needed: the token alone says whose it is.
  if (sellers.sellerIds === undefined) {
    return [{ sellerId: 'LWA_REFRESH_TOKEN', label: 'the seller of LWA_REFRESH_TOKEN' }];
  }
  return sellers.sellerIds.map((sellerId) => ({ sellerId, label: `seller ${sellerId}` }));
}

function describeResult(result: SubscribeResult, sqsArn: string): string {
  const { destination } = result;
  const lines = [
    `destination ${destination.destinationId} (${destination.name}) for ${sqsArn}: ${destination.created ? 'created' : 'exists, unchanged'}`,
    ...result.subscriptions.map(describeSubscription),
  ];
  if (!changedAnything(result) && subscribedAll(result)) {
    lines.push('Nothing changed: the destination and the subscriptions were already in place.');
  }
  return lines.join('\n');
}

function describeSubscription({ seller, outcome, subscriptionId, detail }: SellerSubscription): string {
  const subject = `ORDER_CHANGE subscription for ${seller.label}`;
  switch (outcome) {
    case 'created':
      return `${subject}: ${subscriptionId} created`;
    case 'existing':
      return `${subject}: ${subscriptionId} exists, unchanged`;
    case 'replaced':
      return `${subject}: replaced (${detail}) by ${subscriptionId}`;
    case 'different':
      return `${subject}: ${subscriptionId} left alone, but ${detail}; run again with --replace to replace it`;
    case 'failed':
      return `${subject}: failed: ${detail}`;
  }
}

function policyText(sqsArn: string): string {
  return [
    `Amazon delivers to the queue only if the queue's access policy allows Amazon's account ${SP_API_NOTIFICATIONS_ACCOUNT}`,
    'sqs:SendMessage and sqs:GetQueueAttributes. Set this policy on the queue, or add its statement to the policy',
    'the queue has. If the queue is encrypted with a KMS key of your own, the key policy must let that account use it.',
    JSON.stringify(queuePolicy(sqsArn), null, 2),
  ].join('\n');
}
