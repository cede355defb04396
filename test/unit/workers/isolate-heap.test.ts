import { Worker } from 'node:worker_threads';
import { boundWorkflowIsolateHeap } from '../../../src/workers/isolate-heap';

/** The heap size limit of a new thread's isolate, young generation included, as V8 reports it there. */
function newIsolateHeapLimit(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(
      `require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)`,
      { eval: true },
    );
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('boundWorkflowIsolateHeap', () => {
  it("leaves an operator's own --max-semi-space-size in force, and then bounds isolates created afterwards", async () => {
    expect(boundWorkflowIsolateHeap([], '--max-semi-space-size=16')).toBe(false);
    expect(boundWorkflowIsolateHeap(['--max_semi_space_size=16'], '')).toBe(false);
    const before = await newIsolateHeapLimit();

    expect(boundWorkflowIsolateHeap([], '--max-old-space-size=512')).toBe(true);
    // Three semi-spaces' worth less (two semi-spaces and the new large-object space) on a large host.
    expect(await newIsolateHeapLimit()).toBeLessThan(before);
  });
});
