import { readdirSync } from 'node:fs';
import path from 'node:path';
import { replayHistories } from '../../src/workers/replay';
import { HISTORIES_DIR, readHistory } from '../helpers/solicitation-harness';

/**
 * Histories recorded from the workflow tests (RECORD_HISTORIES=true) replay against today's workflow
 * code: a change that would break orders already sleeping in production fails here. They go through the
 * replay `solicit replay-check` runs on a namespace's histories before a deploy.
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
    const { replayed, failures } = await replayHistories(histories);
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
