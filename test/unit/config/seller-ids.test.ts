import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/config/env';
import { readSellerIds } from '../../../src/config/seller-ids';

const dir = mkdtempSync(path.join(tmpdir(), 'seller-ids-'));
function file(name: string, content: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

describe('readSellerIds', () => {
  it('reads the seller IDs of SPAPI_SELLERS_FILE', () => {
    const sellers = file(
      'sellers.json',
      JSON.stringify({ A3TH9S8BH6GOGM: 'Atzr|first', A1B2C3D4E5F6G7: 'Atzr|second' }),
    );
    expect([...readSellerIds(sellers)]).toEqual(['A3TH9S8BH6GOGM', 'A1B2C3D4E5F6G7']);
  });

  it.each([
    ['not JSON', '{"A3TH9S8BH6GOGM": "Atzr|secret-token"', 'is not valid JSON'],
    ['an array', '["Atzr|secret-token"]', 'must be a JSON object mapping seller IDs to refresh tokens'],
    ['a number as token', '{"A3TH9S8BH6GOGM": 42}', 'must be a JSON object mapping seller IDs to refresh tokens'],
    ['empty', '{}', 'holds no seller'],
  ])('refuses a file that is %s without quoting it', (name, content, problem) => {
    const sellers = file(`${name}.json`, content);
    expect(() => readSellerIds(sellers)).toThrow(new ConfigError(`SPAPI_SELLERS_FILE: ${sellers} ${problem}`));
    expect(() => readSellerIds(sellers)).not.toThrow(/secret-token/);
  });

  it('names the variable when the file cannot be read', () => {
    expect(() => readSellerIds(path.join(dir, 'missing.json'))).toThrow(
      /^SPAPI_SELLERS_FILE: cannot read .*missing\.json \(ENOENT\)$/,
    );
  });
});
