import { spawn } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { PROJECT_ROOT } from '../../src/local/processes';
import { reviewSolicitation } from '../../src/workflows';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
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
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const printed = (text: () => string, line: string) =>
      new Promise<void>((resolve, reject) => {
        const look = () => (text().includes(line) ? resolve() : undefined);
        child.stdout.on('data', look);
        child.stderr.on('data', look);
        void exited.then(() => reject(new Error(`exited before printing '${line}': ${stderr}`)));
        look();
      });

    await printed(() => stderr, '"message":"workers started"');
    // The window is open, so the workflow checks eligibility at once.
    const now = Date.now();
    const input = mfnOrder(now - 7 * DAY, now - 6 * DAY, now);
    await env.client.workflow.start(reviewSolicitation, { taskQueue, workflowId: input.amazonOrderId, args: [input] });
    await printed(() => stdout, 'check started');
    child.kill(signal);

    const [code] = await exited;
    expect(code).toBe(0);
    const messages = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toEqual(['workers started', 'eligibility checked', 'workers stopped']);
  });
});
