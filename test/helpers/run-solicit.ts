import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/local/processes';

export interface SolicitRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time the command took. */
  ms: number;
}

/** Runs `bin/solicit` to completion with exactly `env` (plus PATH) and collects its output. */
export function runSolicit(args: string[], env: Record<string, string>): Promise<SolicitRun> {
  const started = Date.now();
  const child = spawn(path.join(PROJECT_ROOT, 'bin', 'solicit'), args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
