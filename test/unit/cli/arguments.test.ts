import { parseCommandLine, renderHelp, type CommandLine } from '../../../src/cli/arguments';
import { UsageError } from '../../../src/errors';

const options = {
  days: { type: 'string', value: 'N', default: '30', description: 'orders of the last N days' },
  marketplace: {
    type: 'string',
    multiple: true,
    value: 'ID',
    description: 'only this marketplace\nrepeat for several',
  },
  arn: { type: 'string', value: 'ARN', required: true, description: "the queue's ARN" },
  json: { type: 'boolean', description: 'print JSON' },
} as const;

const line: CommandLine<typeof options> = {
  name: 'example',
  summary: 'does an example',
  description: 'Does what an example does.',
  positionals: { names: ['orderId'], required: 1, missing: 'which order? (solicit example <orderId>)' },
  options,
  notes: ['Pace: one page a minute.'],
  exitCodes: { 0: 'done', 1: 'Temporal unreachable', 2: 'bad usage' },
  environment: [
    ['TEMPORAL_ADDRESS', 'Temporal connection'],
    ['LOG_LEVEL', 'debug, info, warn, error'],
  ],
};

function usageError(argv: string[]): string {
  try {
    parseCommandLine(line, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('parseCommandLine', () => {
  it('parses options and positionals, with the defaults of those not given', () => {
    const args = parseCommandLine(line, ['111-1', '--arn', 'arn:aws:sqs:x', '--marketplace', 'A', '--marketplace=B']);
    expect(args).toEqual({
      options: { days: '30', marketplace: ['A', 'B'], arn: 'arn:aws:sqs:x', json: false },
      positionals: ['111-1'],
    });
    expect(parseCommandLine(line, ['--json', '--days', '2', '111-1', '--arn', 'x']).options).toEqual({
      days: '2',
      marketplace: [],
      arn: 'x',
      json: true,
    });
  });

  it('refuses an unknown option or a missing value in one line that points at --help', () => {
    expect(usageError(['111-1', '--arn', 'x', '--seller', 'A1'])).toBe(
      "Unknown option '--seller' (see 'solicit example --help')",
    );
    expect(usageError(['111-1', '--arn'])).toBe(
      "Option '--arn <value>' argument missing (see 'solicit example --help')",
    );
    expect(usageError(['111-1', '--json=yes', '--arn', 'x'])).toMatch(/^Option '--json' does not take an argument/);
  });

  it('refuses too many or too few positionals, and a required option left out', () => {
    expect(usageError(['111-1', '111-2', '--arn', 'x'])).toBe(
      "unexpected argument '111-2' (see 'solicit example --help')",
    );
    expect(usageError(['--arn', 'x'])).toBe('which order? (solicit example <orderId>)');
    expect(usageError(['111-1'])).toBe("--arn is required (see 'solicit example --help')");
  });

  it('takes no positionals when the table names none', () => {
    const bare: CommandLine<Record<string, never>> = { name: 'worker', summary: '', description: '', options: {} };
    expect(parseCommandLine(bare, [])).toEqual({ options: {}, positionals: [] });
    expect(() => parseCommandLine(bare, ['now'])).toThrow("unexpected argument 'now' (see 'solicit worker --help')");
    expect(() => parseCommandLine(bare, ['--now'])).toThrow(UsageError);
  });
});

describe('renderHelp', () => {
  it('renders the usage line, the options, the notes, exit codes and environment from the table', () => {
    expect(renderHelp(line)).toBe(
      [
        'usage: solicit example <orderId> [--days N] [--marketplace ID]... --arn ARN [--json]',
        '',
        'Does what an example does.',
        '',
        '  --days N          orders of the last N days (default 30)',
        '  --marketplace ID  only this marketplace',
        '                    repeat for several',
        "  --arn ARN         the queue's ARN",
        '  --json            print JSON',
        '',
        'Pace: one page a minute.',
        '',
        'exit codes: 0 done; 1 Temporal unreachable; 2 bad usage.',
        'environment:',
        '  TEMPORAL_ADDRESS  Temporal connection',
        '  LOG_LEVEL         debug, info, warn, error',
      ].join('\n'),
    );
  });

  it('uses the synopsis lines given, and leaves out what the table does not have', () => {
    const help = renderHelp({
      name: 'cancel',
      summary: '',
      synopsis: ['<orderId>', '--query FILTER [--yes]'],
      description: 'Cancels.',
      options: { yes: { type: 'boolean', description: 'do not ask' } },
    });
    expect(help).toBe(
      [
        'usage: solicit cancel <orderId>',
        '       solicit cancel --query FILTER [--yes]',
        '',
        'Cancels.',
        '',
        '  --yes  do not ask',
      ].join('\n'),
    );
  });

  it('wraps a long exit-codes line', () => {
    const long = 'x'.repeat(60);
    const help = renderHelp({
      name: 'a',
      summary: '',
      description: 'A.',
      options: {},
      exitCodes: { 0: long, 1: long },
    });
    expect(help.split('\n').slice(-2)).toEqual([`exit codes: 0 ${long}; 1`, `${long}.`]);
  });
});
