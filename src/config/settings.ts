import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { DEFAULT_POLICY, DEFAULT_TASK_QUEUE } from '../domain/contract';
import { marketplace } from '../domain/marketplaces';
import { parseSendHours } from '../domain/send-hours';
import { decimalSetting, requestsPerSecondSetting } from './bounds';
import { DAY_MS, durationMs, durationSetting, MINUTE_MS } from './duration';
import { booleanFlag } from './env';
import { metricsAddressSetting } from './metrics';
import { secureUrl } from './secure-url';
import { DEFAULT_RECONCILE_DAYS, reconcileDays, reconcileIntervalSetting } from './reconcile';

/**
 * Every environment variable the product reads, declared once: its zod schema (none for the variables
 * `@temporalio/envconfig` and the AWS SDK read themselves), its default and one line of help. Each entry
 * point parses the variables it needs with `settingsSchema`, each command's `--help` lists them with
 * `environmentLines` (src/cli/environment.ts), and the table of docs/configuration.md is generated from here
 * (`npm run docs:settings`).
 */
export interface Setting {
  readonly schema?: z.ZodType;
  /** The default in words (markdown), where the schema does not say it or the product applies it later. */
  readonly default?: string;
  readonly help: string;
}

export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';
export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token';
/** Amazon's `searchOrders` allowance for each seller (orders_2026-01-01.json): a page every three minutes. */
export const DEFAULT_SEARCH_ORDERS_RPS = 0.0056;

/**
 * Workflows a worker keeps in memory (docs/spec.md "Configuration": `WORKER_MAX_CACHED_WORKFLOWS`). A cached workflow holds about
 * 0.16 MiB of live state, but what a worker's memory follows is the garbage its cache churns through; with
 * the young generation bounded (bin/solicit starts node with `--max-semi-space-size`), 250 keep a worker under
 * 400 MiB whatever the number of waiting orders (docs/benchmarks.md, "Worker memory"). An evicted order costs a
 * replay of its short history when its timer fires, days later.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

/** `SOLICIT_SPREAD`'s default: a marketplace's day of checks spread over an hour. */
export const DEFAULT_SPREAD: Duration = '1 hour';

// '0' (no spread) needs no unit: it means the same in any.
const spreadSetting = z
  .string()
  .refine(
    (value) => /^0+$/.test(value.trim()) || (/[a-z]/i.test(value) && durationMs(value as Duration) !== undefined),
    { message: "must be a duration with a unit, such as '1 hour' or '30m', or '0' for none" },
  )
  .refine((value) => (durationMs(value.trim() as Duration) ?? 0) <= DAY_MS, { message: 'must be at most 1 day' })
  // null, not undefined: '0' is a choice, an unset variable takes the default.
  .transform((value) => (/^0+$/.test(value.trim()) ? null : (value.trim() as Duration)))
  .optional();

const sendHoursSetting = z
  .string()
  .transform((value, context) => {
    const hours = parseSendHours(value);
    if (hours === undefined) {
      context.addIssue({
        code: 'custom',
        message: "must be HH:MM-HH:MM on a 24-hour clock, such as '09:00-21:00' (unset: any time)",
      });
      return z.NEVER;
    }
    return hours;
  })
  .optional();

const marketplacesSetting = z
  .string()
  .transform((value, context) => {
    const ids = value.split(',').map((id) => id.trim());
    const unknown = ids.find((id) => marketplace(id) === undefined);
    if (unknown !== undefined) {
      context.addIssue({
        code: 'custom',
        message:
          unknown === ''
            ? 'must be marketplace IDs separated by commas, such as ATVPDKIKX0DER,A2EUQ1WTGCTBG2'
            : `'${unknown}' is not one of Amazon's marketplace IDs`,
      });
      return z.NEVER;
    }
    return [...new Set(ids)];
  })
  .optional();

const code = (value: string) => `\`${value}\``;

/** A text setting that may be left unset. */
function optionalText(help: string) {
  return { schema: z.string().optional(), help };
}

export const SETTINGS = {
  // Read by @temporalio/envconfig, as the Temporal CLI reads them.
  TEMPORAL_ADDRESS: { default: code(DEFAULT_TEMPORAL_ADDRESS), help: 'the Temporal frontend, host:port' },
  TEMPORAL_NAMESPACE: { default: code(DEFAULT_TEMPORAL_NAMESPACE), help: 'the Temporal namespace' },
  TEMPORAL_API_KEY: { default: 'none', help: 'API key for Temporal Cloud (turns TLS on)' },
  TEMPORAL_TLS: { default: 'on with an API key', help: "'true' to connect with TLS" },
  'TEMPORAL_TLS_*': {
    default: 'none',
    help: 'mTLS: CLIENT_CERT_PATH, CLIENT_KEY_PATH, SERVER_CA_CERT_PATH, SERVER_NAME',
  },
  TEMPORAL_PROFILE: { default: code('default'), help: 'profile of the Temporal configuration file' },
  TEMPORAL_CONFIG_FILE: { default: "the Temporal CLI's file", help: 'the Temporal configuration file (TOML)' },
  TASK_QUEUE: {
    schema: z.string().min(1).default(DEFAULT_TASK_QUEUE),
    help: 'workflow task queue; SP-API activities use <TASK_QUEUE>-spapi',
  },

  SQS_QUEUE_URL: {
    schema: z.url({
      protocol: /^https?$/,
      error: (issue) =>
        issue.input === undefined ? 'is required: the URL of the ORDER_CHANGE queue' : 'must be a URL',
    }),
    default: 'required for `ingest`, `redrive`',
    help: 'the ORDER_CHANGE queue',
  },
  // Read by the AWS SDK; AWS_ENDPOINT_URL_SQS by the product too (src/config/sqs.ts).
  AWS_REGION: { default: 'SDK default', help: 'the AWS region of the queue' },
  AWS_ENDPOINT_URL_SQS: {
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    default: 'SDK default',
    help: "another SQS endpoint (ElasticMQ, LocalStack), used over the queue URL's host",
  },
  AWS_ACCESS_KEY_ID: { default: "the SDK's credential chain", help: 'AWS credentials, with AWS_SECRET_ACCESS_KEY' },
  AWS_SECRET_ACCESS_KEY: { default: "the SDK's credential chain", help: 'AWS credentials, with AWS_ACCESS_KEY_ID' },

  LWA_CLIENT_ID: {
    schema: z.string({ error: 'is required' }),
    default: 'required for SP-API calls',
    help: "the app's Login with Amazon client ID",
  },
  LWA_CLIENT_SECRET: {
    schema: z.string().optional(),
    default: 'required for SP-API calls',
    help: "the app's Login with Amazon client secret (or LWA_CLIENT_SECRET_FILE)",
  },
  LWA_CLIENT_SECRET_FILE: optionalText('file holding the client secret instead, re-read when it changes'),
  LWA_REFRESH_TOKEN: optionalText("one seller's refresh token (or SPAPI_SELLERS_FILE)"),
  SPAPI_SELLERS_FILE: optionalText('JSON file: seller ID to refresh token or object, re-read when it changes'),
  LWA_CLIENT_SECRET_ARN: optionalText('Secrets Manager secret holding the client secret instead, re-read within 10 s'),
  SPAPI_SELLERS_SECRET_ARN: optionalText(
    'AWS Secrets Manager secret holding the sellers JSON instead of SPAPI_SELLERS_FILE',
  ),
  SOLICIT_ROTATE_SECRET: {
    schema: z.enum(['auto', 'off'], { error: "must be 'auto' or 'off'" }).optional(),
    default: '`auto` when the secret store is writable, else `off`',
    help: "'auto': rotate the client secret before it expires and store the new one; 'off'",
  },
  SPAPI_APPLICATION_ID: {
    schema: z.string().min(1).optional(),
    default: 'none (the Sellers page cannot connect sellers)',
    help: "the app's ID (amzn1.sp.solution...), for the seller consent link",
  },
  SPAPI_CONSENT_URL: {
    schema: secureUrl.optional(),
    default: 'Seller Central of the region',
    help: "base URL of the consent page instead of each region's Seller Central (simulator, test)",
  },
  SPAPI_AUTHORIZE_BETA: {
    schema: booleanFlag.default(false),
    help: "'true' while the app is a draft: the consent link carries version=beta",
  },
  WEB_ADDRESS: {
    schema: z
      .string()
      .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^:\s/]+):\d{1,5}$/, { error: 'must be host:port, such as 127.0.0.1:8300' })
      .default('127.0.0.1:8300'),
    help: 'host:port where solicit web serves the Sellers page',
  },
  WEB_PUBLIC_URL: {
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    default: '`http://<WEB_ADDRESS>`',
    help: "the page's public URL; the consent redirect URI is <WEB_PUBLIC_URL>/connect/callback",
  },
  WEB_TOKEN: {
    schema: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    help: "the operator's token for the Sellers page; required when WEB_ADDRESS is not loopback",
  },
  TEMPORAL_UI_URL: {
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    default: "the dev stack's UI under `solicit dev`, else none (no links)",
    help: "the Temporal Web UI's base URL, for the Sellers page's links",
  },
  SPAPI_SELLER_ID: {
    schema: z
      .string()
      .regex(/^[A-Z0-9]{1,32}$/, { error: 'must be a seller ID (merchant token), such as A1B2C3D4E5F6G7' })
      .optional(),
    help: 'with LWA_REFRESH_TOKEN: its seller, whose orders reconciliation searches',
  },
  SOLICIT_MARKETPLACES: {
    schema: marketplacesSetting,
    default: 'all',
    help: 'with LWA_REFRESH_TOKEN: marketplace IDs served, comma-separated',
  },
  LWA_ENDPOINT: { schema: secureUrl.default(DEFAULT_LWA_ENDPOINT), help: 'LWA token URL' },
  SPAPI_ENDPOINT: {
    schema: secureUrl.optional(),
    default: 'chosen per marketplace',
    help: 'one base URL for every SP-API call (sandbox, simulator)',
  },
  SPAPI_MAX_RPS: {
    schema: requestsPerSecondSetting.default(1),
    help: 'SP-API requests/s for each seller and operation, 0.01 to 100',
  },
  SPAPI_MAX_TOTAL_RPS: {
    schema: requestsPerSecondSetting.optional(),
    help: 'optional cap on all SP-API requests/s, all sellers and workers',
  },
  SPAPI_PACING: {
    schema: z.enum(['key', 'queue'], { error: 'must be key or queue' }).default('key'),
    help: "'key': each seller its own limit; 'queue': one limit shared by all sellers, on purpose",
  },
  SPAPI_SEARCH_ORDERS_RPS: {
    // Amazon's allowance is well under the Solicitations operations' 0.01 floor, hence a range of its own.
    schema: decimalSetting({ min: 0.0001, max: 100, unit: 'requests per second' }).default(DEFAULT_SEARCH_ORDERS_RPS),
    help: 'searchOrders requests/s for each seller, all workers (reconciliation)',
  },

  RECONCILE_INTERVAL: {
    schema: reconcileIntervalSetting,
    help: "how often reconcile-orders runs (solicit setup); 'off' removes it",
  },
  RECONCILE_DAYS: {
    schema: reconcileDays.default(DEFAULT_RECONCILE_DAYS),
    help: 'how far back each reconciliation looks, in days',
  },

  WORKER_MAX_CACHED_WORKFLOWS: {
    schema: z.coerce
      .number({ error: 'must be a whole number of workflows' })
      .int({ error: 'must be a whole number of workflows' })
      .min(1, { error: 'must be at least 1' })
      .default(DEFAULT_MAX_CACHED_WORKFLOWS),
    help: 'workflows a worker keeps in memory: its memory bound',
  },
  WORKER_DEPLOYMENT_NAME: {
    schema: z
      .string()
      .max(255, { error: 'must be at most 255 characters' })
      .regex(/^[^.\s]+$/, { error: "must not hold '.' or whitespace" })
      .optional(),
    default: 'none (unversioned workers)',
    help: 'the Temporal Worker Deployment this worker is a version of',
  },
  WORKER_BUILD_ID: {
    schema: z
      .string()
      .max(255, { error: 'must be at most 255 characters' })
      .regex(/^\S+$/, { error: 'must not hold whitespace' })
      .optional(),
    help: 'with WORKER_DEPLOYMENT_NAME: the build ID of this version (required then)',
  },
  METRICS_ADDRESS: {
    schema: metricsAddressSetting,
    help: 'IP:port to serve Prometheus metrics on (/metrics), e.g. 0.0.0.0:9464',
  },
  LOG_LEVEL: { schema: z.enum(['debug', 'info', 'warn', 'error']).default('info'), help: 'debug, info, warn, error' },

  // The policy of new orders, copied into each workflow's input when its order starts.
  SOLICIT_RECHECK_INTERVAL: {
    schema: durationSetting([MINUTE_MS, '1 minute'], [30 * DAY_MS, '30 days']),
    default: code(String(DEFAULT_POLICY.recheckInterval)),
    help: 'while Amazon does not offer the action, check again after this long',
  },
  SOLICIT_ESTIMATED_EARLIEST_DELIVERY: {
    schema: durationSetting([0, '0s'], [60 * DAY_MS, '60 days']),
    default: code(String(DEFAULT_POLICY.estimatedEarliestDeliveryAfterShip)),
    help: 'without delivery dates (FBA): earliest delivery = ship time + this',
  },
  SOLICIT_ESTIMATED_LATEST_DELIVERY: {
    schema: durationSetting([0, '0s'], [60 * DAY_MS, '60 days']),
    default: code(String(DEFAULT_POLICY.estimatedLatestDeliveryAfterShip)),
    help: 'without delivery dates (FBA): latest delivery = ship time + this',
  },
  SOLICIT_DRY_RUN: {
    schema: booleanFlag.optional(),
    default: code('false'),
    help: "'true': new orders check eligibility, never send; they end dry-run",
  },
  SOLICIT_SEND_HOURS: {
    schema: sendHoursSetting,
    default: 'any time',
    help: "HH:MM-HH:MM, each marketplace's local time: checks and sends only then",
  },
  SOLICIT_SPREAD: {
    schema: spreadSetting,
    default: code(DEFAULT_SPREAD),
    help: "scheduled checks shifted by a stable per-order offset below this; '0' for none",
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

type Schemas = {
  [N in SettingName as (typeof SETTINGS)[N] extends { schema: z.ZodType } ? N : never]: (typeof SETTINGS)[N] extends {
    schema: infer S extends z.ZodType;
  }
    ? S
    : never;
};

/** The zod object of these settings, for `parseEnv` at an entry point. */
export function settingsSchema<const N extends keyof Schemas>(...names: N[]): z.ZodObject<Pick<Schemas, N>> {
  const settings: Record<string, Setting> = SETTINGS;
  return z.object(Object.fromEntries(names.map((name) => [name, settings[name]!.schema!]))) as z.ZodObject<
    Pick<Schemas, N>
  >;
}

/**
 * The default in words: the table's, else what the schema gives an unset variable, `none` when it stays
 * unset, `required` when the schema refuses it.
 */
export function defaultOf(name: SettingName): string {
  const setting: Setting = SETTINGS[name];
  if (setting.default !== undefined) return setting.default;
  if (setting.schema === undefined) return 'none';
  const unset = setting.schema.safeParse(undefined);
  if (!unset.success) return 'required';
  if (unset.data === undefined) return 'none';
  return code(typeof unset.data === 'string' ? unset.data : JSON.stringify(unset.data));
}

/** One `--help` environment line: the variable, its help, and its default when it has one. */
export function environmentLine(name: SettingName): readonly [variable: string, meaning: string] {
  const { help } = SETTINGS[name];
  const fallback = defaultOf(name).replaceAll('`', '');
  if (fallback === 'none') return [name, help];
  return [name, fallback.startsWith('required') ? `${help} (${fallback})` : `${help} (default ${fallback})`];
}
