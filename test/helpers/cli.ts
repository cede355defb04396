import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/local/processes';

const ENTRY = path.join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const GUARDED = path.join(PROJECT_ROOT, 'scripts', 'guarded');

/** `npm test` builds before jest; a bare `npx jest` gets the same, so a process test never runs stale code. */
export function ensureBuilt(): void {
  const built = mtime(ENTRY);
  if (built !== undefined && built >= newestSource(path.join(PROJECT_ROOT, 'src'))) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

export type LogLine = Record<string, unknown> & { level: string; message: string };

export interface SolicitProcess {
  child: ChildProcess;
  /** Every JSON log line written so far; other stderr lines are kept in `otherOutput`. */
  logs: LogLine[];
  otherOutput: string[];
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Resolves once `count` log lines satisfy `match`. */
  waitForLogs(match: (line: LogLine) => boolean, count?: number, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `bin/solicit` with exactly `env` (plus PATH), so the machine's own settings cannot leak in. It runs
 * behind scripts/guarded (same pid), so that it dies with the process that started it, even on kill -9.
 */
export function spawnSolicit(args: string[], env: Record<string, string>): SolicitProcess {
  const child = spawn(GUARDED, [path.join(PROJECT_ROOT, 'bin', 'solicit'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const otherOutput: string[] = [];
  const stdout: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  const waiters = new Set<() => void>();
  createInterface({ input: child.stderr }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      otherOutput.push(line);
    }
    waiters.forEach((check) => check());
  });
  // 'close', not 'exit': by then stdout and stderr have been read to their end.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    logs,
    otherOutput,
    stdout: () => Buffer.concat(stdout).toString('utf8'),
    exited,
    waitForLogs(match, count = 1, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fewer than ${count} matching log lines after ${timeoutMs} ms: ${otherOutput.join(' | ')}`));
        }, timeoutMs);
        // Each line is matched once: a process that logs thousands of lines is not read again at each one.
        let matched = 0;
        let read = 0;
        const check = () => {
          for (; read < logs.length; read++) if (match(logs[read]!)) matched++;
          if (matched < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

export interface WatchedProcess {
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  output(): { stdout: string; stderr: string };
  /** Resolves once the stream holds `text`; rejects if the process exits first. */
  printed(stream: 'stdout' | 'stderr', text: string): Promise<void>;
}

/** Collects a process's output as it comes, to wait for what it prints. */
export function watchOutput(child: ChildProcess): WatchedProcess {
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    exited,
    output: () => ({ ...output }),
    printed: (stream, text) =>
      new Promise<void>((resolve, reject) => {
        const look = () => (output[stream].includes(text) ? resolve() : undefined);
        child[stream]!.on('data', look);
        void exited.then(() => reject(new Error(`exited before printing '${text}': ${output.stderr}`)));
        look();
      }),
  };
}
