/**
 * The product's errors, in two kinds. An input error is the caller's to fix (a malformed argument, an
 * unknown order, a bad setting): its message is one line that names what is wrong, never a secret, and
 * the CLI exits 2 with it. Every other error is operational (a server down, Amazon failing): exit 1.
 * Only src/cli/main.ts turns them into exit codes.
 */

/** Bad input the caller can correct. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Bad usage of a command: unknown order, malformed argument, unknown filter. */
export class UsageError extends InputError {
  override name = 'UsageError';
}

/** A bad or missing setting. Its message is one line naming the variable, and never its value. */
export class ConfigError extends InputError {
  override name = 'ConfigError';
}

/** Input errors, including what `util.parseArgs` throws for an unknown option, a missing value or an extra argument. */
export function isInputError(error: unknown): boolean {
  if (error instanceof InputError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** `solicit setup` could not bring the namespace to what the product needs; the message says what is left to do. */
export class SetupIncompleteError extends Error {
  override name = 'SetupIncompleteError';
}

/** The order's workflow ID is held by a workflow of another type: nothing is started or signalled. */
export class WorkflowTypeConflictError extends Error {
  override name = 'WorkflowTypeConflictError';
  constructor(workflowId: string, type: string, expectedType: string) {
    super(`workflow ID ${workflowId} is held by a workflow of type ${type}, not ${expectedType}`);
  }
}

/**
 * An error and the errors behind it, outermost first, along `cause`: the Temporal client wraps the gRPC
 * error that says why a call failed, and the product wraps errors to say what it was doing. The walk ends
 * where the chain does, or where it comes back on itself.
 */
export function* causes(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current);) {
    seen.add(current);
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
}
