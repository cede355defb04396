import { readFileSync } from 'node:fs';
import { ConfigError } from './env';

/**
 * The seller IDs of SPAPI_SELLERS_FILE (a JSON object mapping seller IDs to refresh tokens), for the
 * processes that must know which sellers are served but have no use for their tokens. Errors name the
 * variable and the file, never its content.
 */
export function readSellerIds(file: string): ReadonlySet<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `SPAPI_SELLERS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`SPAPI_SELLERS_FILE: ${file} is not valid JSON`);
  }
  const shapeError = `SPAPI_SELLERS_FILE: ${file} must be a JSON object mapping seller IDs to refresh tokens`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(shapeError);
  const entries = Object.entries(value);
  if (entries.length === 0) throw new ConfigError(`SPAPI_SELLERS_FILE: ${file} holds no seller`);
  if (entries.some(([id, token]) => id.trim() === '' || typeof token !== 'string' || token === '')) {
    throw new ConfigError(shapeError);
  }
  return new Set(entries.map(([id]) => id));
}
