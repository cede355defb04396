import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DevStackHolder } from '../../src/local/dev-lock';
import { assertPortFree, freePort, freePorts, PROJECT_ROOT } from '../../src/local/processes';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { runSolicit } from '../helpers/run-solicit';

/**
 * `npm start` as a user, an IDE or a supervisor runs it: on free ports and a data folder of its own, stopped
 * by a signal sent to the npm process alone (not to its process group, as a terminal's Ctrl-C would).
 */

jest.setTimeout(300_000);

interface Ports {
  port: number;
  uiPort: number;
  sqsPort: number;
  simulatorPort: number;
}

interface NpmStart {
  npm: ChildProcess;
  stdout(): string;
  dataDir: string;
  ports: number[];
  /** The `solicit dev` process, from its data folder's lock. */
  dev: DevStackHolder;
  exited: Promise<unknown>;
}

const started: NpmStart[] = [];

beforeAll(() => ensureBuilt());
afterAll(() => {
  for (const { npm, dataDir } of started) {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function stackPorts(taken: number[]): Promise<Ports> {
  const [port, uiPort, sqsPort, simulatorPort] = (await freePorts(4, taken)) as [number, number, number, number];
  return { port, uiPort, sqsPort, simulatorPort };
}

/** A free port whose next one is free too: the worker's and ingest's metrics. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (
      port < 65535 &&
      (await assertPortFree(port + 1, 'ingest metrics').then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
}

function portArgs(ports: Ports): string[] {
  return [
    ...['--port', String(ports.port), '--ui-port', String(ports.uiPort)],
    ...['--sqs-port', String(ports.sqsPort), '--simulator-port', String(ports.simulatorPort)],
  ];
}

async function npmStart(env: Record<string, string> = {}, extraPorts: number[] = []): Promise<NpmStart> {
  const ports = await stackPorts(extraPorts);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
  const npm = spawn('npm', ['start', '--', '--no-demo', ...portArgs(ports), '--data-dir', dataDir], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: a signal in this test reaches npm alone.
    detached: true,
  });
  let out = '';
  npm.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  const start: Omit<NpmStart, 'dev'> = {
    npm,
    stdout: () => out,
    dataDir,
    ports: [...Object.values(ports), ...extraPorts],
    exited,
  };
  started.push(start as NpmStart);
  await eventually(
    'npm start ready',
    () => Promise.resolve(out),
    (text) => text.includes('Press Ctrl-C to stop.') || npm.exitCode !== null,
    180_000,
  );
  if (!out.includes('Press Ctrl-C to stop.')) throw new Error(`npm start failed:\n${out}`);
  const dev = JSON.parse(readFileSync(path.join(dataDir, 'solicit-dev.lock'), 'utf8')) as DevStackHolder;
  return Object.assign(start, { dev });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Nothing of the stack is left: `solicit dev` has ended and every port it held is free again. */
async function everythingStopped(start: NpmStart): Promise<void> {
  await eventually(
    'solicit dev ended and its ports free',
    async () => ({
      dev: alive(start.dev.pid),
      held: (
        await Promise.all(
          start.ports.map((port) =>
            assertPortFree(port, String(port)).then(
              () => undefined,
              () => port,
            ),
          ),
        )
      ).filter((port) => port !== undefined),
    }),
    (state) => !state.dev && state.held.length === 0,
    60_000,
  );
}

it('serves metrics per process, refuses a second stack on its data folder, names itself on a taken port, stops on SIGINT', async () => {
  const metricsPort = await freePortPair();
  const start = await npmStart({ METRICS_ADDRESS: `127.0.0.1:${metricsPort}` }, [metricsPort, metricsPort + 1]);

  // One line per step while it starts, and no npm or Maven noise.
  expect(start.stdout()).toContain('dev: starting solicit worker');
  expect(start.stdout()).not.toContain(String.fromCharCode(27));
  expect(start.stdout()).not.toContain('npm warn');
  // METRICS_ADDRESS is the worker's; ingest takes the next port, and both serve.
  const worker = `http://127.0.0.1:${metricsPort}/metrics`;
  const ingest = `http://127.0.0.1:${metricsPort + 1}/metrics`;
  expect(start.stdout()).toContain(`Metrics            worker ${worker}, ingest ${ingest}`);
  expect(await (await fetch(worker)).text()).toContain('spapi_responses_total');
  expect(await (await fetch(ingest)).text()).toContain('ingest_messages_total');
  // Where the Web UI shows an order's phase.
  expect(start.stdout()).toContain('User Metadata');
  expect(start.stdout()).toContain('SolicitationPhase column');

  const second = await runSolicit(
    ['dev', '--no-demo', ...portArgs(await stackPorts(start.ports)), '--data-dir', start.dataDir],
    {
      HOME: process.env.HOME ?? '',
    },
  );
  expect({ code: second.code, stdout: second.stdout }).toEqual({ code: 1, stdout: '' });
  expect(second.stderr).toBe(
    `solicit dev: data folder ${start.dataDir} is in use by solicit dev pid ${start.dev.pid} ` +
      `(Temporal ${start.dev.temporalAddress}, Web UI ${start.dev.uiUrl}): stop it first, or give another --data-dir\n`,
  );

  const otherDataDir = mkdtempSync(path.join(os.tmpdir(), 'npm-start-other-'));
  try {
    const [temporalPort] = start.ports;
    const [uiPort, sqsPort, simulatorPort] = await freePorts(3, start.ports);
    const samePorts = await runSolicit(
      ['dev', '--no-demo', '--port', String(temporalPort), '--ui-port', String(uiPort)]
        .concat(['--sqs-port', String(sqsPort), '--simulator-port', String(simulatorPort)])
        .concat(['--data-dir', otherDataDir]),
      { HOME: process.env.HOME ?? '' },
    );
    expect(samePorts.code).toBe(1);
    expect(samePorts.stderr).toMatch(
      new RegExp(
        `^solicit dev: Temporal \\(--port\\): port ${temporalPort} is in use, by solicit dev pid ${start.dev.pid} ` +
          `\\(.*bin/solicit dev .*\\): stop it, or choose other ports\\n$`,
      ),
    );
  } finally {
    rmSync(otherDataDir, { recursive: true, force: true });
  }

  process.kill(start.npm.pid!, 'SIGINT');
  await start.exited;
  await everythingStopped(start);
  expect(start.stdout()).toContain('Stopping ingest, the worker and the servers (SIGINT)');
});

it('stops everything on SIGTERM to npm start', async () => {
  const start = await npmStart();
  process.kill(start.npm.pid!, 'SIGTERM');
  await start.exited;
  await everythingStopped(start);
  expect(start.stdout()).toContain('Stopping ingest, the worker and the servers (SIGTERM)');
});

it('stops everything when npm start is killed outright: solicit dev ends with its parent', async () => {
  const start = await npmStart();
  process.kill(start.npm.pid!, 'SIGKILL');
  await everythingStopped(start);
  expect(start.stdout()).toContain('Stopping ingest, the worker and the servers (the end of its parent process)');
});
