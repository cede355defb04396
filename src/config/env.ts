import { z } from 'zod';
import { ConfigError } from '../errors';

export type Env = Record<string, string | undefined>;

/** Parses the environment once, at an entry point. Empty strings count as unset. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path.map(String).join('.') || 'environment';
    throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** 'true' or 'false', exactly: 'yes', '1' or 'False' are mistakes worth hearing about. */
export const booleanFlag = z
  .enum(['true', 'false'], { error: "must be 'true' or 'false'" })
  .transform((value) => value === 'true');
