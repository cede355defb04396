import { SIMULATOR_SELLER_ID, startSpApiSimulator } from '../../simulator';
import { EXIT_OK } from '../exit-codes';
import { feedDemoFromEnv } from './demo-feed';
import type { DevOptions } from './options';
import { print } from './output';
import { stopSignal } from './stop-signal';

/** The simulator alone, for a worker elsewhere: `docker compose --profile simulator`. */
export async function runSimulatorOnly(options: DevOptions): Promise<number> {
  const simulator = await startSpApiSimulator({ port: options.simulatorPort, host: options.bind });
  try {
    const elsewhere = ['0.0.0.0', '::'].includes(options.bind) ? ` (with this host's name for ${options.bind})` : '';
    print(
      `SP-API simulator on ${simulator.url}. Point the worker at it${elsewhere}:`,
      ...Object.entries(simulator.env()).map(([name, value]) => `  ${name}=${value}`),
    );
    const stopRequested = stopSignal();
    if (options.demo) await feedDemoFromEnv(SIMULATOR_SELLER_ID, (order) => simulator.addOrder(order.amazon));
    print('Press Ctrl-C to stop.');
    await stopRequested;
  } finally {
    await simulator.close();
  }
  return EXIT_OK;
}
