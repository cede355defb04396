import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, readHistory } from '../helpers/solicitation-harness';

/**
 * Histories recorded from the workflow tests (RECORD_HISTORIES=true) replay against today's workflow
 * code: a change that would break orders already sleeping in production fails here.
 */
describe('recorded workflow histories', () => {
  const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json'));

  it('cover every kind of ending', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it('replay without nondeterminism', async () => {
    const histories = files.map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: readHistory(path.join(HISTORIES_DIR, file)),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../../src/workflows') },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  });
});
