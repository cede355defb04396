import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../local/processes';
import { defineCommand } from '../command';
import { devCommandLine, devOptions } from '../dev/options';
import { runSimulatorOnly } from '../dev/simulator-only';
import { runStack } from '../dev/stack';

export const command = defineCommand(devCommandLine, async (args) => {
  const options = devOptions(args);
  const dotEnv = path.join(PROJECT_ROOT, '.env');
  // Variables already set win over the file's.
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  return options.simulatorOnly ? runSimulatorOnly(options) : runStack(options);
});
