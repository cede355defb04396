import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, PROJECT_ROOT } from '../../src/local/processes';
import { ensureBuilt, watchOutput } from '../helpers/cli';

/** `solicit dev --simulator-only`, the entry point of the simulator service of docker-compose.yml. */

const SOLICIT = path.join(PROJECT_ROOT, 'bin', 'solicit');

beforeAll(() => ensureBuilt());

function solicitDev(args: string[]) {
  const child = spawn(SOLICIT, ['dev', ...args], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { exited, printed, output } = watchOutput(child);
  return { child, exited, printed: (text: string) => printed('stdout', text), output };
}

it('serves LWA and SP-API on the given port, prints the settings that point a worker at it, and stops on SIGTERM', async () => {
  const port = await freePort();
  const dev = solicitDev(['--simulator-only', '--no-demo', `--simulator-port=${port}`]);
  await dev.printed('Press Ctrl-C to stop.');
  const settings = Object.fromEntries(
    [...dev.output().stdout.matchAll(/^ {2}([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name!, value!]),
  );
  expect(settings.SPAPI_ENDPOINT).toBe(`http://127.0.0.1:${port}`);

  const token = await fetch(settings.LWA_ENDPOINT!, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: settings.LWA_REFRESH_TOKEN!,
      client_id: settings.LWA_CLIENT_ID!,
      client_secret: settings.LWA_CLIENT_SECRET!,
    }),
  });
  expect(token.status).toBe(200);
  expect(await token.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600 });

  dev.child.kill('SIGTERM');
  expect(await dev.exited).toEqual([0, null]);
});

it('refuses options that belong to the whole stack, with one line and exit code 2', async () => {
  const dev = solicitDev(['--simulator-only', '--sqs-port=9324']);
  expect(await dev.exited).toEqual([2, null]);
  expect(dev.output().stderr).toBe('solicit dev: --sqs-port does not go with --simulator-only\n');
});
