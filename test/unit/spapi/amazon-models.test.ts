import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The models are Amazon's files, byte for byte: the README lists each one's git blob id at Amazon's commit.
const dir = path.resolve(__dirname, '..', '..', 'fixtures', 'amazon-models');
const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
const rows = [...readme.matchAll(/^\| (\S+\.json) \| \S+ \| \d+ \| ([0-9a-f]{40}) \|/gm)].map(([, file, blob]) => ({
  file: file!,
  blob: blob!,
}));

function gitBlobId(content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
}

describe("Amazon's models in test/fixtures", () => {
  it('lists every model file', () => {
    expect(rows.map((row) => row.file).sort()).toEqual([
      'OrderChangeNotification.json',
      'application_2023-11-30.json',
      'messaging.json',
      'notifications.json',
      'ordersV0.json',
      'orders_2026-01-01.json',
      'solicitations.json',
    ]);
  });

  it.each(rows)('$file is unmodified', ({ file, blob }) => {
    expect(gitBlobId(readFileSync(path.join(dir, file)))).toBe(blob);
  });
});
