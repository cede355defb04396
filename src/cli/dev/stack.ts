import path from 'node:path';
import { NAMESPACE, spApiCredentialsGiven, startDevStack } from '../../local/dev-stack';
import { PROJECT_ROOT } from '../../local/processes';
import { EXIT_OK } from '../exit-codes';
import { devMetrics } from './metrics';
import type { DevOptions } from './options';
import { print } from './output';
import { printDemo, printStack, printTry } from './stack-output';
import { stopSignal } from './stop-signal';

const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, '.data');

/** The whole product on this machine until a stop signal: servers, worker, ingest, and the demo orders. */
export async function runStack(options: DevOptions): Promise<number> {
  const amazon = spApiCredentialsGiven(process.env);
  const dataDir = path.resolve(options.dataDir ?? path.join(DEFAULT_DATA_DIR, ...(amazon ? ['amazon'] : [])));
  const metrics = devMetrics(options.metricsPort, process.env.METRICS_ADDRESS);
  // Listened for from the start: a signal while the stack starts stops it once up, and leaves nothing behind.
  const stopRequested = stopSignal();
  const stack = await startDevStack({
    dataDir,
    temporalPort: options.port,
    uiPort: options.uiPort,
    sqsPort: options.sqsPort,
    simulatorPort: options.simulatorPort,
    webPort: options.webPort,
    spApi: amazon ? 'environment' : 'simulator',
    demo: options.demo,
    env: process.env,
    ...(metrics && { metrics }),
    otherDataDirs: [DEFAULT_DATA_DIR, path.join(DEFAULT_DATA_DIR, 'amazon')].filter((dir) => dir !== dataDir),
    onStep: (step) => print(`dev: ${step}`),
  });
  const workflows = `${stack.uiUrl}/namespaces/${NAMESPACE}/workflows`;
  print('');
  printStack(stack, workflows, dataDir);
  if (stack.demo) await printDemo(stack, stopRequested);
  else if (stack.simulatorUrl) print('Demo orders: not fed (--no-demo).', '');
  else {
    print(
      'Amazon cannot deliver notifications to this local queue: send ORDER_CHANGE messages to it yourself,',
      "or start workflows for orders already shipped with 'bin/solicit backfill'.",
      '',
    );
  }
  printTry(stack, workflows);
  print('Press Ctrl-C to stop.');

  const why = await stopRequested;
  print(`Stopping ingest, the worker and the servers (${why})...`);
  await stack.stop();
  return EXIT_OK;
}
