// Run by `npm run build` after tsc: bundles every workflow exported from dist/workflows once, so that a
// worker starts from the bundle instead of bundling at every start.
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import workflowCode from '../dist/workers/workflow-code.js';

try {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(import.meta.dirname, '..', 'dist', 'workflows', 'index.js'),
    logger: new DefaultLogger('WARN'),
  });
  // Written whole, so that a worker starting during a build never reads half a bundle.
  const partial = `${workflowCode.WORKFLOW_BUNDLE}.partial`;
  await writeFile(partial, code);
  await rename(partial, workflowCode.WORKFLOW_BUNDLE);
} catch (error) {
  process.stderr.write(`bundle-workflows: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
