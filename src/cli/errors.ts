/** Bad usage or bad input (SPEC.md: exit code 2): unknown order, malformed argument, bad setting. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
