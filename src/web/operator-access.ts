import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'solicit_session';

/**
 * Who may use the Sellers page: anyone when it listens on loopback without WEB_TOKEN; otherwise a request
 * with `Authorization: Bearer <WEB_TOKEN>`, or a browser holding the session cookie the login form set.
 * The token is compared in constant time and never put in a URL.
 */
export class OperatorAccess {
  private readonly sessions = new Set<string>();
  private readonly tokenDigest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.tokenDigest = token === undefined ? undefined : digest(token);
  }

  get open(): boolean {
    return this.tokenDigest === undefined;
  }

  allows(request: IncomingMessage): boolean {
    if (this.tokenDigest === undefined) return true;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && this.matches(bearer)) return true;
    const session = cookie(request, SESSION_COOKIE);
    return session !== undefined && this.sessions.has(session);
  }

  matches(token: string): boolean {
    return this.tokenDigest !== undefined && timingSafeEqual(digest(token), this.tokenDigest);
  }

  /** A new session for a browser that gave the right token. */
  startSession(): string {
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }
}

// Digests have one length whatever the token's, so the comparison takes the same time for any guess.
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
