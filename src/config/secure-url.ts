import { isIP } from 'node:net';
import { z } from 'zod';

/** Loopback names and addresses: traffic to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * A URL that secrets are sent to (docs/spec.md "Configuration"): `https`, or plain `http` only to a loopback
 * address (a local simulator), so that no client secret, refresh token or code crosses a network in clear.
 */
export const secureUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).refine(
  (value) => {
    // Not a URL at all: the check above has said so already.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.protocol === 'https:' || isLoopbackHost(url.hostname);
  },
  { error: 'must be an https URL (plain http only to a loopback address such as 127.0.0.1)' },
);
