import { SQSClient } from '@aws-sdk/client-sqs';
import { parseEnv } from '../../config/env';
import { settingsSchema } from '../../config/settings';
import { sqsClientConfig } from '../../config/sqs';
import { redrive } from '../../ingest/redrive';
import { defineCommand } from '../command';
import { AWS_SQS, environment } from '../environment';
import { UsageError } from '../../errors';
import { EXIT_OK } from '../exit-codes';

const envSchema = settingsSchema('SQS_QUEUE_URL', 'AWS_ENDPOINT_URL_SQS');

export const command = defineCommand(
  {
    name: 'redrive',
    summary: "moves the queue's dead-letter messages back to the queue",
    description: `Finds the dead-letter queue from the redrive policy of SQS_QUEUE_URL and moves its messages back to the
queue, printing for each the order and its status, or why it cannot be read (such a message returns to
the dead-letter queue once ingest has refused it again). Each message is sent to the queue before it is
deleted from the dead-letter queue: an interruption can only duplicate one, and ingest dedupes orders.`,
    options: {
      'dry-run': { type: 'boolean', description: 'print what would be moved, move nothing' },
      max: { type: 'string', value: 'N', description: 'move at most N messages' },
    },
    environment: [...environment('SQS_QUEUE_URL'), ...AWS_SQS],
  },
  async ({ options }) => {
    const max = options.max === undefined ? undefined : Number(options.max);
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new UsageError(`--max must be a positive whole number, got '${options.max}'`);
    }
    const env = parseEnv(envSchema);
    const sqs = new SQSClient(sqsClientConfig(env.AWS_ENDPOINT_URL_SQS));
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
);
