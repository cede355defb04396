import { parseSqsArn, queuePolicy } from '../../../src/subscribe/queue-policy';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:order-change';

describe('queuePolicy', () => {
  it("lets Amazon's notifications account send to the queue, and nothing else", () => {
    expect(queuePolicy(ARN)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SellingPartnerApiNotifications',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::437568002678:root' },
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
          Resource: ARN,
        },
      ],
    });
  });
});

describe('parseSqsArn', () => {
  it('reads a queue ARN', () => {
    expect(parseSqsArn(ARN)).toEqual({ region: 'us-east-1', accountId: '123456789012', queueName: 'order-change' });
  });

  it.each([
    'https://sqs.us-east-1.amazonaws.com/123456789012/order-change',
    'arn:aws:sns:us-east-1:123456789012:order-change',
    'arn:aws:sqs:us-east-1:1234:order-change',
    'arn:aws:sqs:us-east-1:123456789012:',
    'arn:aws:sqs:us-east-1:123456789012:order change',
  ])('refuses %s', (value) => {
    expect(parseSqsArn(value)).toBeUndefined();
  });
});
