import { z } from 'zod';
import { booleanFlag } from './env';

/** SOLICIT_ROTATE_SECRET: `auto` rotates the client secret before it expires; default: `auto` when the store is writable. */
export const rotateSecretSetting = z.enum(['auto', 'off'], { error: "must be 'auto' or 'off'" }).optional();

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** An https URL, or http on a loopback address (a simulator, a test): a consent page is no place for plain http. */
const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an https URL' }).refine(
  (value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || isLoopbackHost(url.hostname);
  },
  { error: 'must be https (http only on a loopback address)' },
);

const hostPort = z
  .string()
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^:\s/]+):\d{1,5}$/, { error: 'must be host:port, such as 127.0.0.1:8300' });

/** The settings of `solicit web`, the Sellers page (docs/spec.md, "Configuration" and "Credential lifecycle"). */
export const webSettings = {
  WEB_ADDRESS: hostPort.default('127.0.0.1:8300'),
  WEB_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  WEB_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SPAPI_APPLICATION_ID: z.string().min(1).optional(),
  SPAPI_CONSENT_URL: httpsUrl.optional(),
  SPAPI_AUTHORIZE_BETA: booleanFlag.default(false),
};
