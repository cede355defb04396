import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors';

/** One option of a command: how it parses, and how `--help` shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable; its values come as an array. */
  multiple?: boolean;
  /** A string option's default, shown in `--help`; a boolean's default is false. */
  default?: string;
  /** The command refuses to run without it. */
  required?: boolean;
  /** The value's name in `--help`, e.g. N in `--days N`. */
  value?: string;
  /** What it does; `\n` starts a continuation line. */
  description: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** A command's arguments and its `--help`, both from one table. */
export interface CommandLine<O extends OptionTable> {
  name: string;
  /** One line for `solicit --help`. */
  summary: string;
  /** The usage lines after `solicit <name> `; without them, one line made from the table. */
  synopsis?: readonly string[];
  /** What the command does, before the options. */
  description: string;
  options: O;
  /** Positional arguments: their names in the usage line; more than these is a usage error. */
  positionals?: { names: readonly string[]; required?: number; missing?: string };
  /** Paragraphs after the options. */
  notes?: readonly string[];
  exitCodes?: Partial<Record<0 | 1 | 2, string>>;
  environment?: readonly (readonly [variable: string, meaning: string])[];
}

type ParsedValues<O extends OptionTable> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K]['multiple'] extends true
      ? string[]
      : O[K]['required'] extends true
        ? string
        : O[K]['default'] extends string
          ? string
          : string | undefined;
};

export interface Arguments<O extends OptionTable> {
  options: ParsedValues<O>;
  positionals: string[];
}

/** `util.parseArgs`, strict, with every way the arguments can be wrong turned into a one-line usage error (exit 2). */
export function parseCommandLine<O extends OptionTable>(line: CommandLine<O>, argv: string[]): Arguments<O> {
  const see = `(see 'solicit ${line.name} --help')`;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: nodeOptions(line.options), strict: true, allowPositionals: true });
  } catch (error) {
    // Node's messages run on with advice about '--'; the first sentence says what was wrong.
    const first = (error as Error).message.split(/\.\s/)[0] ?? 'bad arguments';
    throw new UsageError(`${first} ${see}`);
  }
  const { names = [], required = 0, missing } = line.positionals ?? {};
  const extra = parsed.positionals[names.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' ${see}`);
  if (parsed.positionals.length < required) {
    throw new UsageError(missing ?? `missing ${names.slice(parsed.positionals.length, required).join(' ')} ${see}`);
  }
  for (const [name, option] of Object.entries(line.options)) {
    if (option.required && parsed.values[name] === undefined) throw new UsageError(`--${name} is required ${see}`);
  }
  return { options: parsed.values as ParsedValues<O>, positionals: parsed.positionals };
}

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

function nodeOptions(table: OptionTable): NodeOptions {
  return Object.fromEntries(
    Object.entries(table).map(
      ([name, { type, multiple = false, default: fallback }]): [string, NodeOptions[string]] => {
        // Every option has a value once parsed: false for a flag not given, none for a repeatable one.
        if (type === 'boolean') return [name, { type, multiple, default: false }];
        if (multiple) return [name, { type, multiple, default: fallback === undefined ? [] : [fallback] }];
        return [name, fallback === undefined ? { type } : { type, default: fallback }];
      },
    ),
  );
}

const WIDTH = 110;

/** The `solicit <name> --help` text. */
export function renderHelp<O extends OptionTable>(line: CommandLine<O>): string {
  const prefix = `solicit ${line.name}`;
  const synopsis = (line.synopsis ?? [synopsisOf(line)]).map((usage) => `${prefix} ${usage}`.trimEnd());
  const sections = [
    synopsis.map((usage, index) => `${index === 0 ? 'usage: ' : '       '}${usage}`).join('\n'),
    line.description,
    optionsHelp(line.options),
    ...(line.notes ?? []),
    [exitCodesHelp(line.exitCodes), environmentHelp(line.environment)].filter((part) => part !== '').join('\n'),
  ];
  return sections.filter((section) => section !== '').join('\n\n');
}

function synopsisOf<O extends OptionTable>(line: CommandLine<O>): string {
  const { names = [], required = 0 } = line.positionals ?? {};
  const positionals = names.map((name, index) => (index < required ? `<${name}>` : `[<${name}>]`));
  const options = Object.entries(line.options).map(([name, option]) => {
    const word = `--${name}${option.value ? ` ${option.value}` : ''}`;
    return `${option.required ? word : `[${word}]`}${option.multiple ? '...' : ''}`;
  });
  return [...positionals, ...options].join(' ');
}

function optionsHelp(table: OptionTable): string {
  const rows = Object.entries(table).map(([name, option]) => {
    const suffix = option.default === undefined ? '' : ` (default ${option.default})`;
    return [`--${name}${option.value ? ` ${option.value}` : ''}`, `${option.description}${suffix}`] as const;
  });
  return columns(rows);
}

function exitCodesHelp(codes: CommandLine<OptionTable>['exitCodes']): string {
  if (codes === undefined) return '';
  const parts = Object.entries(codes).map(([code, meaning]) => `${code} ${meaning}`);
  return wrap(`exit codes: ${parts.join('; ')}.`);
}

function environmentHelp(environment: CommandLine<OptionTable>['environment']): string {
  if (environment === undefined || environment.length === 0) return '';
  return `environment:\n${columns(environment)}`;
}

/** Two columns, the second aligned; a `\n` in the second starts a line under it. */
function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows
    .map(([left, right]) =>
      right
        .split('\n')
        .map((text, index) => `  ${(index === 0 ? left : '').padEnd(width)}${text}`)
        .join('\n'),
    )
    .join('\n');
}

function wrap(text: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  return [...lines, current].join('\n');
}
