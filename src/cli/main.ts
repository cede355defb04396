import type { Command } from './command';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes';
import { isInputError } from '../errors';

const COMMANDS = [
  'backfill',
  'cancel',
  'dev',
  'expedite',
  'ingest',
  'list',
  'reconcile',
  'redrive',
  'replay-check',
  'retry',
  'rotate-secret',
  'setup',
  'stats',
  'status',
  'subscribe',
  'web',
  'worker',
];

// Loaded on demand, so that `solicit status` does not pay for loading the worker.
function loadCommand(name: string): Promise<{ command: Command }> {
  return import(`./commands/${name}`) as Promise<{ command: Command }>;
}

const USAGE = `usage: solicit <command> [options]

Sends Amazon's "Request a Review" solicitation once per shipped order, inside Amazon's window.
Run 'solicit <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n\ncommands:\n${await summaries()}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (!COMMANDS.includes(name)) {
    process.stderr.write(`solicit: unknown command '${name}' (see 'solicit --help')\n`);
    return EXIT_USAGE;
  }
  const { command } = await loadCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const usage = isInputError(error);
    process.stderr.write(`solicit ${name}: ${oneLine(error)}\n`);
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}

const WIDTH = Math.max(...COMMANDS.map((name) => name.length));

async function summaries(): Promise<string> {
  const lines = await Promise.all(
    COMMANDS.map(async (name) => `  ${name.padEnd(WIDTH)} ${(await loadCommand(name)).command.summary}`),
  );
  return lines.join('\n');
}

function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0] ?? '';
  // The Temporal client's service errors say what failed; the gRPC error they wrap says why.
  const details = (error.cause as { details?: unknown } | undefined)?.details;
  const why = typeof details === 'string' && details !== '' && !error.message.includes(details) ? `: ${details}` : '';
  const message = `${error.message}${why}`;
  return message.split('\n')[0] ?? message;
}
