import fs, {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors';
import { LIVE_FILE_CHECK_MS, LiveFile, sharedLiveFile } from '../../../src/config/live-file';
import type { Logger } from '../../../src/logging';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'live-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingLogger() {
  const lines: { level: string; message: string; fields?: object }[] = [];
  const at = (level: string) => (message: string, fields?: object) => lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** A file of numbers, read through a clock that moves only when told. */
function liveNumber(name: string, content: string, at = path.join(dir, name)) {
  const file = at;
  if (content !== '') writeFileSync(file, content);
  let now = 0;
  const { logger, lines } = recordingLogger();
  const live = new LiveFile({
    variable: 'NUMBER_FILE',
    path: file,
    logger,
    now: () => now,
    parse(text) {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw new Error('is not a number');
      return value;
    },
  });
  return { live, file, lines, advance: (ms: number) => (now += ms) };
}

describe('LiveFile', () => {
  it('sees a change within the check interval, well inside 10 seconds, without a restart', () => {
    const { live, file, advance } = liveNumber('changes', '1');
    expect(live.current).toBe(1);
    writeFileSync(file, '2');
    advance(LIVE_FILE_CHECK_MS - 1);
    expect(live.current).toBe(1);
    advance(1);
    expect(LIVE_FILE_CHECK_MS).toBeLessThan(10_000);
    expect(live.current).toBe(2);
  });

  it('sees a rewrite of the same size within the same second', () => {
    const { live, file, advance } = liveNumber('same-size', '10');
    writeFileSync(file, '20');
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(20);
  });

  it('keeps the last good value when the file stops parsing, logs one error, and takes the next good one', () => {
    const { live, file, lines, advance } = liveNumber('broken', '1');
    writeFileSync(file, 'SECRET-not-a-number');
    for (let check = 0; check < 5; check += 1) {
      advance(LIVE_FILE_CHECK_MS);
      expect(live.current).toBe(1);
    }
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors).toEqual([
      {
        level: 'error',
        message: 'NUMBER_FILE changed but cannot be used; the last good one stays in force',
        fields: { variable: 'NUMBER_FILE', reason: `${file} is not a number` },
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('SECRET');
    writeFileSync(file, '3');
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(3);
  });

  it('keeps the last good value while the file is missing', () => {
    const { live, file, lines, advance } = liveNumber('missing', '1');
    unlinkSync(file);
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(1);
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(1);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(lines[0]?.fields).toEqual({ variable: 'NUMBER_FILE', reason: `cannot read ${file} (ENOENT)` });
  });

  it('stops the start with one line naming the variable when the first read fails', () => {
    expect(() => liveNumber('bad-at-start', 'x')).toThrow(
      new ConfigError(`NUMBER_FILE: ${path.join(dir, 'bad-at-start')} is not a number`),
    );
  });

  it('does not read a file whose size, mtime and inode are unchanged', () => {
    const { live, file, advance } = liveNumber('quiet', '7');
    // Written well before it was read, so its mtime is to be trusted.
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(7);
    const reads = jest.spyOn(fs, 'readFileSync');
    try {
      for (let check = 0; check < 3; check += 1) {
        advance(LIVE_FILE_CHECK_MS);
        expect(live.current).toBe(7);
      }
      expect(reads).not.toHaveBeenCalled();
      writeFileSync(file, '8');
      advance(LIVE_FILE_CHECK_MS);
      expect(live.current).toBe(8);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it("sees a Kubernetes volume's ..data symlink swapped to a new timestamped directory", () => {
    // How the kubelet updates a mounted Secret or ConfigMap: files in a timestamped directory, `..data`
    // pointing at it, each key a symlink through `..data`; an update writes a new directory and renames a
    // new `..data` link over the old one, atomically.
    const volume = mkdtempSync(path.join(dir, 'volume-'));
    const version = (name: string, content: string, mtime: Date) => {
      mkdirSync(path.join(volume, name));
      writeFileSync(path.join(volume, name, 'number'), content);
      utimesSync(path.join(volume, name, 'number'), mtime, mtime);
    };
    // The same size and the same mtime: only the inode tells the new file from the old.
    const mtime = new Date(Date.now() - 60_000);
    version('..2026_12_06_10_00_00.000000001', '41', mtime);
    symlinkSync('..2026_12_06_10_00_00.000000001', path.join(volume, '..data'));
    symlinkSync('..data/number', path.join(volume, 'number'));
    const { live, lines, advance } = liveNumber('', '', path.join(volume, 'number'));
    expect(live.current).toBe(41);

    version('..2026_12_06_10_05_00.000000002', '42', mtime);
    symlinkSync('..2026_12_06_10_05_00.000000002', path.join(volume, '..data_tmp'));
    renameSync(path.join(volume, '..data_tmp'), path.join(volume, '..data'));
    rmSync(path.join(volume, '..2026_12_06_10_00_00.000000001'), { recursive: true });
    advance(LIVE_FILE_CHECK_MS);
    expect(live.current).toBe(42);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'NUMBER_FILE re-read' }));
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('is one per variable and path in a process, so its components share one parsed value', () => {
    const file = path.join(dir, 'shared');
    writeFileSync(file, '5');
    const options = { variable: 'NUMBER_FILE', path: file, parse: (text: string) => ({ parsed: Number(text) }) };
    const first = sharedLiveFile(options);
    const second = sharedLiveFile({ ...options });
    expect(second).toBe(first);
    expect(second.current).toBe(first.current);
    expect(sharedLiveFile({ ...options, variable: 'OTHER_FILE' })).not.toBe(first);
  });
});
