import { ConfigError } from '../config/env';
import type { Command } from './command';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors';

// Loaded on demand, so that `solicit status` does not pay for loading the worker.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  backfill: () => import('./commands/backfill'),
  dev: () => import('./commands/dev'),
  ingest: () => import('./commands/ingest'),
  subscribe: () => import('./commands/subscribe'),
  worker: () => import('./commands/worker'),
};

const USAGE = `usage: solicit <command> [options]

Sends Amazon's "Request a Review" solicitation once per shipped order, inside Amazon's window.
Run 'solicit <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n\ncommands:\n${await summaries()}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`solicit: unknown command '${name}' (see 'solicit --help')\n`);
    return EXIT_USAGE;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    process.stderr.write(`solicit ${name}: ${oneLine(error)}\n`);
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}

async function summaries(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).command.summary}`),
  );
  return lines.join('\n');
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
