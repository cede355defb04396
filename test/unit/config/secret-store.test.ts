import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LiveSecret } from '../../../src/config/live-secret';
import { fileSecretStore } from '../../../src/config/secret-store';
import { ConfigError } from '../../../src/errors';
import { recordingLogger } from '../../helpers/recording-logger';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'secret-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('fileSecretStore', () => {
  it('replaces the file whole, readable by its owner only, and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'client-secret');
    writeFileSync(file, 'old-secret\n');
    const store = fileSecretStore('LWA_CLIENT_SECRET_FILE', file);
    await store.write('new-secret');
    expect(await store.read()).toBe('new-secret');
    expect(readdirSync(dir)).toEqual(['client-secret']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.writable()).toBe(true);
  });

  it('a reader during many writes sees one whole value or the other, never a mix', async () => {
    const file = path.join(dir, 'sellers.json');
    const small = JSON.stringify({ A1: 'Atzr|one' });
    const large = JSON.stringify({ A1: 'Atzr|one', A2: 'x'.repeat(1 << 20) });
    writeFileSync(file, small);
    const store = fileSecretStore('SPAPI_SELLERS_FILE', file);
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const length = readFileSync(file, 'utf8').length;
        seen.add(length === small.length ? 'small' : length === large.length ? 'large' : 'torn');
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 20; i += 1) await store.write(i % 2 === 0 ? large : small);
    writing = false;
    await reader;
    expect(seen.has('torn')).toBe(false);
  });

  it('is not writable in a read-only folder', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: the check is the folder's write permission, which root always has.
      expect(await fileSecretStore('X', path.join(dir, 'f')).writable()).toBe(true);
      return;
    }
    chmodSync(dir, 0o500);
    expect(await fileSecretStore('X', path.join(dir, 'f')).writable()).toBe(false);
  });
});

describe('LiveSecret', () => {
  it('keeps the last good value when the store answers something unusable, and takes the next good one', async () => {
    let text = 'first';
    let failing = false;
    const { logger, lines } = recordingLogger();
    const live = await LiveSecret.open({
      store: {
        variable: 'LWA_CLIENT_SECRET_ARN',
        location: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:x',
        read: () =>
          failing
            ? Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException' }))
            : Promise.resolve(text),
        write: () => Promise.resolve(),
        writable: () => Promise.resolve(true),
      },
      parse: (value) => {
        if (value === '') throw new Error('is empty');
        return value;
      },
      logger,
      checkEveryMs: 60_000,
    });
    text = '';
    await live.refresh();
    expect(live.current).toBe('first');
    failing = true;
    await live.refresh();
    await live.refresh();
    expect(live.current).toBe('first');
    failing = false;
    text = 'second';
    await live.refresh();
    expect(live.current).toBe('second');
    live.close();
    expect(lines.filter((line) => line.level === 'error').map((line) => line.fields)).toEqual([
      { variable: 'LWA_CLIENT_SECRET_ARN', reason: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:x is empty' },
      {
        variable: 'LWA_CLIENT_SECRET_ARN',
        reason: 'cannot read arn:aws:secretsmanager:us-east-1:000000000000:secret:x (AccessDeniedException)',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('second');
  });

  it('stops the process at start with one line naming the variable when the store cannot be read', async () => {
    const opening = LiveSecret.open({
      store: {
        variable: 'SPAPI_SELLERS_SECRET_ARN',
        location: 'arn:x',
        read: () => Promise.reject(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' })),
        write: () => Promise.resolve(),
        writable: () => Promise.resolve(true),
      },
      parse: (value) => value,
    });
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow('SPAPI_SELLERS_SECRET_ARN: cannot read arn:x (ResourceNotFoundException)');
  });
});
