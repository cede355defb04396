/**
 * The AWS account from which Amazon's Notifications service sends to SQS destinations (Amazon's guide
 * "Set up notifications using the Amazon SQS workflow": a queue policy allowing it `sqs:SendMessage` and
 * `sqs:GetQueueAttributes`).
 */
export const SP_API_NOTIFICATIONS_ACCOUNT = '437568002678';

export interface SqsQueueArn {
  region: string;
  accountId: string;
  queueName: string;
}

const SQS_ARN = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** The parts of `arn:aws:sqs:REGION:ACCOUNT:QUEUE`, or undefined for anything else (a queue URL, say). */
export function parseSqsArn(arn: string): SqsQueueArn | undefined {
  const match = SQS_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, queueName] = match as unknown as [string, string, string, string];
  return { region, accountId, queueName };
}

/** The queue's access policy that lets Amazon deliver notifications to it, and nothing else. */
export function queuePolicy(queueArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SellingPartnerApiNotifications',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${SP_API_NOTIFICATIONS_ACCOUNT}:root` },
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        Resource: queueArn,
      },
    ],
  };
}
