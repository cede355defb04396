import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

it("starts node with a bounded young generation, which keeps a worker's memory bounded", () => {
  const preload = path.join(ROOT, 'test', 'fixtures', 'node', 'print-exec-argv.js');
  const run = spawnSync(path.join(ROOT, 'bin', 'solicit'), ['--help'], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${preload}` },
    encoding: 'utf8',
  });
  const line = run.stderr.split('\n').find((text) => text.startsWith('execArgv '));
  expect(line).toBeDefined();
  expect(JSON.parse(line!.slice('execArgv '.length))).toContain('--max-semi-space-size=4');
});

it('starts ingest with the default young generation of node', () => {
  const preload = path.join(ROOT, 'test', 'fixtures', 'node', 'print-exec-argv.js');
  const run = spawnSync(path.join(ROOT, 'bin', 'solicit'), ['ingest', '--help'], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${preload}` },
    encoding: 'utf8',
  });
  const lines = run.stderr.split('\n').filter((text) => text.startsWith('execArgv '));
  expect(lines.length).toBeGreaterThan(0);
  expect(JSON.parse(lines.at(-1)!.slice('execArgv '.length))).not.toContain('--max-semi-space-size=4');
});
