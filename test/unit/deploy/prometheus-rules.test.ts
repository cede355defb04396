import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, TOOLS_BIN } from '../../../src/local/processes';

/** The alert rules through Prometheus' own promtool (`npm run tools` puts it in .tools/bin). */
const promtool = path.join(TOOLS_BIN, 'promtool');
const dir = path.join(PROJECT_ROOT, 'deploy', 'prometheus');

function run(...args: string[]) {
  const { status, stdout, stderr } = spawnSync(promtool, args, { cwd: dir, encoding: 'utf8' });
  return { status, output: `${stdout}${stderr}` };
}

it('passes promtool check rules', () => {
  const { status, output } = run('check', 'rules', 'alerts.yml');
  expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS: 9 rules found') });
});

it('fires the alerts as alerts.test.yml expects, and only then (promtool test rules)', () => {
  expect(run('test', 'rules', 'alerts.test.yml')).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
});

it('refuses a rule file with a broken expression, so the checks above can fail', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rules-')), 'broken.yml');
  writeFileSync(file, 'groups: [{name: g, rules: [{alert: A, expr: "sum(rate(x[5m])"}]}]');
  const { status, output } = run('check', 'rules', file);
  expect({ status, output }).toEqual({ status: 1, output: expect.stringContaining('unclosed left parenthesis') });
});
