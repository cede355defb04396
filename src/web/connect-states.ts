import { randomBytes } from 'node:crypto';
import type { SpApiRegion } from '../domain/marketplaces';

/** Amazon's consent must come back within this long (docs/spec.md, "Credential lifecycle"). */
export const STATE_LIFETIME_MS = 10 * 60_000;

/**
 * The anti-forgery `state` of the website authorization workflow: random, valid 10 minutes, good for one
 * callback. Kept in memory: a restart only costs a seller a second click.
 */
export class ConnectStates {
  private readonly pending = new Map<string, { region: SpApiRegion; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(region: SpApiRegion): string {
    this.forgetExpired();
    const state = randomBytes(24).toString('base64url');
    this.pending.set(state, { region, expiresAt: this.now() + STATE_LIFETIME_MS });
    return state;
  }

  /** The region the state was issued for, once; undefined for an unknown, used or expired state. */
  take(state: string | null): SpApiRegion | undefined {
    if (state === null) return undefined;
    const found = this.pending.get(state);
    this.pending.delete(state);
    if (found === undefined || this.now() >= found.expiresAt) return undefined;
    return found.region;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [state, { expiresAt }] of this.pending) if (now >= expiresAt) this.pending.delete(state);
  }
}
