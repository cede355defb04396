import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/local/processes';
import { reviewSolicitation } from '../../src/workflows';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { watchOutput } from '../helpers/cli';
import { forTheFile } from '../helpers/for-the-file';
import { DAY } from '../helpers/solicitation-harness';
import { mfnOrder } from '../helpers/orders';

const env = forTheFile(connectToDevServer);

describe.each(['SIGTERM', 'SIGINT'] as const)('the worker process on %s', (signal) => {
  it('lets the SP-API call in flight finish, stops both workers and exits 0', async () => {
    const taskQueue = uniqueTaskQueue('worker-shutdown');
    const child = spawn(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [path.join(PROJECT_ROOT, 'test/fixtures/run-workers.ts')],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: env.address,
          TEMPORAL_NAMESPACE: env.namespace ?? 'default',
          TASK_QUEUE: taskQueue,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const { exited, printed, output } = watchOutput(child);

    await printed('stderr', '"message":"workers started"');
    // The window is open, so the workflow checks eligibility at once.
    const now = Date.now();
    const input = mfnOrder(now - 7 * DAY, now - 6 * DAY, now);
    await env.client.workflow.start(reviewSolicitation, { taskQueue, workflowId: input.amazonOrderId, args: [input] });
    await printed('stdout', 'check started');
    child.kill(signal);

    const [code] = await exited;
    expect(code).toBe(0);
    const messages = output()
      .stderr.split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toEqual(['workers started', 'eligibility checked', 'workers stopped']);
  });
});
