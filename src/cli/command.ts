/** One `solicit` subcommand. `run` resolves with the process exit code. */
export interface Command {
  /** One line for `solicit --help`. */
  summary: string;
  /** The full `solicit <command> --help` text. */
  usage: string;
  run(argv: string[]): Promise<number>;
}
