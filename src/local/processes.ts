import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync } from 'node:fs';
import path from 'node:path';

/** The project's checkout, where `npm run tools` puts the local servers. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

export function toolPath(name: 'temporal' | 'temporal-test-server' | 'sqs-server'): string {
  return path.join(TOOLS_BIN, name);
}

/** The same tool behind scripts/guarded: it dies with the process that started it, even on kill -9. */
export function guardedToolPath(name: 'temporal' | 'temporal-test-server' | 'sqs-server'): string {
  return path.join(TOOLS_BIN, `guarded-${name}`);
}

export interface LocalProcess {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a local server that cannot outlive this process; its output goes to `logFile`. */
export function startLocalProcess(executable: string, args: string[], logFile: string): LocalProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(executable, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
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
