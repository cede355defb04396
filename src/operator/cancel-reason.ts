import { UsageError } from '../errors';

/** Kept in the order's result, its workflow history and the batch job: one line, short enough to read. */
export const MAX_REASON_LENGTH = 500;

/** `--reason` of `solicit cancel`, trimmed; undefined when not given or blank. */
export function cancelReason(value: string | undefined): string | undefined {
  const reason = value?.trim();
  if (!reason) return undefined;
  // Control characters include line breaks, which would split the reason in logs and in the Web UI.
  if (/\p{Cc}/u.test(reason)) throw new UsageError('--reason must be one line of text');
  const length = [...reason].length;
  if (length > MAX_REASON_LENGTH) {
    throw new UsageError(`--reason must be at most ${MAX_REASON_LENGTH} characters, got ${length}`);
  }
  return reason;
}
