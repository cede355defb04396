import { createHash } from 'node:crypto';
import { SpApiError } from './errors';

/** How long a worker process believes Amazon's refusal of a credential before asking LWA again. */
export const REFUSAL_HOLD_MS = 5 * 60_000;

/**
 * A credential as the circuit knows it: a hash of the values that make it, so that a rotated secret or a
 * renewed refresh token is a new credential, tried at once, and no secret is kept as a key.
 */
export function credentialKey(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}

interface Refusal {
  /** The refusal's words, without the operation. */
  reason: string;
  details: SpApiError['details'];
  until: number;
}

/**
 * Per-credential circuit of one worker process: after Amazon refuses a credential, calls that need it
 * fail at once, as that same refusal, for `holdMs`, however many orders wait on it; then one call asks
 * again. A caller that must make a real attempt (an operator's expedite) skips the check.
 */
export class CredentialCircuit {
  private readonly refusals = new Map<string, Refusal>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly holdMs: number = REFUSAL_HOLD_MS,
  ) {}

  /** Throws the held refusal of the first of `keys` still held, for `operation`. */
  assertNotHeld(keys: readonly string[], operation: string): void {
    const now = this.now();
    for (const key of keys) {
      const refusal = this.refusals.get(key);
      if (refusal === undefined) continue;
      if (now >= refusal.until) {
        this.refusals.delete(key);
        continue;
      }
      const askAgainAt = new Date(refusal.until).toISOString();
      throw new SpApiError(
        'credential-refused',
        operation,
        `${refusal.reason} (refusal held by this worker; LWA is asked again after ${askAgainAt})`,
        refusal.details,
      );
    }
  }

  open(key: string, refusal: SpApiError): void {
    this.refusals.set(key, { reason: refusal.reason, details: refusal.details, until: this.now() + this.holdMs });
  }

  close(key: string): void {
    this.refusals.delete(key);
  }
}
