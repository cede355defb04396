import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

/** The project's checkout, where `npm run tools` puts the local servers. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

export type ToolName = 'temporal' | 'temporal-test-server' | 'sqs-server' | 'secretsmanager-server';

export function toolPath(name: ToolName): string {
  return path.join(TOOLS_BIN, name);
}

/** The same tool behind scripts/guarded: it dies with the process that started it, even on kill -9. */
export function guardedToolPath(name: ToolName): string {
  return path.join(TOOLS_BIN, `guarded-${name}`);
}

export interface LocalProcess {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** The project's own scripts/guarded, for a command that is not one of the tools: `bin/solicit worker`. */
export const GUARDED = path.join(PROJECT_ROOT, 'scripts', 'guarded');

export interface LocalProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

/**
 * Starts a local process that cannot outlive this process; its output goes to `logFile`. It gets a process
 * group of its own, so that a Ctrl-C in the terminal reaches only this process, which then stops its
 * children one by one with a single SIGTERM each (a second signal would cut a draining process short).
 */
export function startLocalProcess(
  executable: string,
  args: string[],
  logFile: string,
  { env = process.env, stopGraceMs = 10_000 }: LocalProcessOptions = {},
): LocalProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(executable, args, { stdio: ['ignore', out, out], env, detached: true });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** `count` different free ports, none of them in `taken`: the kernel may hand out a port it just freed again. */
export async function freePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = await freePort();
    if (!taken.includes(port)) ports.add(port);
  }
  return [...ports];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Fails when something listens on `port` already: a server started there would exit, and whatever holds
 * the port would answer in its place.
 */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`${what}: port ${port} is ${error.code === 'EADDRINUSE' ? 'in use' : error.code}`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Polls `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${what} did not come up: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A tool serving on 127.0.0.1 at a port of its own, for as long as this process runs. */
export interface LocalServer {
  endpoint: string;
  process: LocalProcess;
}

/** A local server: which tool, what it is called in errors, and how a client sees it is up. */
export interface LocalServerKind<Client extends { destroy(): void }> {
  tool: ToolName;
  what: string;
  client: (endpoint: string) => Client;
  ping: (client: Client) => Promise<unknown>;
}

/**
 * Starts the guarded tool on 127.0.0.1:`port` and waits until its client gets an answer to `ping`; stops it
 * again if it never does. The AWS servers keep everything in memory, so nothing is lost by a kill; on
 * SIGTERM they would wait for the long polls in progress to end.
 */
export async function startLocalServer<Client extends { destroy(): void }>(
  kind: LocalServerKind<Client>,
  port: number,
  logFile: string,
): Promise<LocalServer> {
  const endpoint = `http://127.0.0.1:${port}`;
  const server = startLocalProcess(guardedToolPath(kind.tool), [String(port)], logFile, { stopGraceMs: 1000 });
  const client = kind.client(endpoint);
  try {
    await waitUntil(`${kind.what} on ${endpoint} (log: ${logFile})`, async () => {
      if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
      await kind.ping(client);
    });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: server };
}
