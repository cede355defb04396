import { parseCommandLine, renderHelp, type Arguments, type CommandLine, type OptionTable } from './arguments';

/** One `solicit` subcommand. `run` resolves with the process exit code. */
export interface Command {
  /** One line for `solicit --help`. */
  summary: string;
  /** The full `solicit <command> --help` text. */
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/** A command whose arguments are parsed, and whose `--help` is rendered, from one table. */
export function defineCommand<O extends OptionTable>(
  line: CommandLine<O>,
  run: (args: Arguments<O>) => Promise<number>,
): Command {
  return {
    summary: line.summary,
    get usage() {
      return renderHelp(line);
    },
    run: async (argv) => run(parseCommandLine(line, argv)),
  };
}
