import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { parseEnv } from '../../config/env';
import { redrive } from '../../ingest/redrive';
import type { Command } from '../command';
import { UsageError } from '../../errors';
import { EXIT_OK } from '../exit-codes';
import { parseOptions } from '../options';

const envSchema = z.object({
  SQS_QUEUE_URL: z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? 'is required: the URL of the ORDER_CHANGE queue' : 'must be a URL'),
  }),
});

export const command: Command = {
  summary: "moves the queue's dead-letter messages back to the queue",
  usage: `usage: solicit redrive [--dry-run] [--max N]

Finds the dead-letter queue from the redrive policy of SQS_QUEUE_URL and moves its messages back to the
queue, printing for each the order and its status, or why it cannot be read (such a message returns to
the dead-letter queue once ingest has refused it again). Each message is sent to the queue before it is
deleted from the dead-letter queue: an interruption can only duplicate one, and ingest dedupes orders.

  --dry-run   print what would be moved, move nothing
  --max N     move at most N messages

environment:
  SQS_QUEUE_URL                         the ORDER_CHANGE queue (required)
  AWS_REGION, AWS_ENDPOINT_URL_SQS      AWS SDK settings; credentials from the AWS SDK's chain`,

  async run(argv) {
    const options = parseOptions('redrive', argv, {
      'dry-run': { type: 'boolean', default: false },
      max: { type: 'string' },
    });
    const max = options.max === undefined ? undefined : Number(options.max);
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new UsageError(`--max must be a positive whole number, got '${options.max}'`);
    }
    const env = parseEnv(envSchema);
    const sqs = new SQSClient({});
    try {
      const dryRun = options['dry-run'];
      const result = await redrive({
        sqs,
        queueUrl: env.SQS_QUEUE_URL,
        dryRun,
        max,
        report: (line) => process.stdout.write(`${line}\n`),
      });
      const unreadable = result.unreadable > 0 ? ` (${result.unreadable} that cannot be read)` : '';
      process.stdout.write(
        `${dryRun ? 'dry run: would move' : 'moved'} ${result.moved} messages${unreadable} from ${result.deadLetterQueueUrl} to ${env.SQS_QUEUE_URL}\n`,
      );
      return EXIT_OK;
    } finally {
      sqs.destroy();
    }
  },
};
