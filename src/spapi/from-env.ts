import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv, type Env } from '../config/env';
import { createSpApiClients, type SpApiClientOptions, type SpApiClients, type SpApiConfig } from './clients';
import { sellersFromMap, singleSeller, type SellerAuthorizations } from './sellers';
import { ConfigError } from '../errors';

export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token';

const required = z.string({ error: 'is required' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const sellersEnvSchema = z.object({
  LWA_REFRESH_TOKEN: z.string().optional(),
  SPAPI_SELLERS_FILE: z.string().optional(),
});

const spApiEnvSchema = z.object({
  LWA_CLIENT_ID: required,
  LWA_CLIENT_SECRET: required,
  LWA_ENDPOINT: httpUrl.default(DEFAULT_LWA_ENDPOINT),
  SPAPI_ENDPOINT: httpUrl.optional(),
});

const sellersFileSchema = z
  .record(z.string().min(1), z.string().min(1))
  .refine((sellers) => Object.keys(sellers).length > 0);

/**
 * Reads the SP-API settings (SPEC "Configuration"). Throws `ConfigError` with one line naming the
 * variable and never its value.
 */
export function spApiConfigFromEnv(env: Env = process.env): SpApiConfig {
  const sellers = sellersFromEnv(env);
  const settings = parseEnv(spApiEnvSchema, env);
  return {
    lwaClientId: settings.LWA_CLIENT_ID,
    lwaClientSecret: settings.LWA_CLIENT_SECRET,
    lwaEndpoint: settings.LWA_ENDPOINT,
    spApiEndpoint: settings.SPAPI_ENDPOINT,
    sellers,
  };
}

/**
 * The sellers this deployment acts for, without the app's credentials: what ingest needs to leave a
 * notification for an unknown seller to the dead-letter queue. Exactly one of LWA_REFRESH_TOKEN (every
 * seller is that seller) and SPAPI_SELLERS_FILE (only the sellers it lists) must be set: with both, which
 * seller an unknown ID would be is a guess this product does not make.
 */
export function sellersFromEnv(env: Env = process.env): SellerAuthorizations {
  const { LWA_REFRESH_TOKEN: refreshToken, SPAPI_SELLERS_FILE: sellersFile } = parseEnv(sellersEnvSchema, env);
  if (refreshToken !== undefined && sellersFile !== undefined) {
    throw new ConfigError('SPAPI_SELLERS_FILE: set either it or LWA_REFRESH_TOKEN, not both');
  }
  if (sellersFile !== undefined) return sellersFromMap(readSellersFile(sellersFile));
  if (refreshToken !== undefined) return singleSeller(refreshToken);
  throw new ConfigError('LWA_REFRESH_TOKEN: is required (or SPAPI_SELLERS_FILE for several sellers)');
}

/** The SP-API clients, configured from the environment. */
export function spApiClientsFromEnv(env: Env = process.env, options: SpApiClientOptions = {}): SpApiClients {
  return createSpApiClients(spApiConfigFromEnv(env), options);
}

// The file holds refresh tokens: no message quotes its content (JSON.parse's own messages do).
function readSellersFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`SPAPI_SELLERS_FILE: cannot read ${file} (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`SPAPI_SELLERS_FILE: ${file} is not valid JSON`);
  }
  const sellers = sellersFileSchema.safeParse(json);
  if (!sellers.success) {
    throw new ConfigError(
      `SPAPI_SELLERS_FILE: ${file} must be a JSON object mapping each seller ID to its refresh token`,
    );
  }
  return sellers.data;
}
