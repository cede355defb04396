'use strict';
// Run by `npm run build` after tsc: bundles every workflow exported from dist/workflows once, so that a
// worker starts from the bundle instead of bundling at every start.
const { rename, writeFile } = require('node:fs/promises');
const { bundleWorkflowCode, DefaultLogger } = require('@temporalio/worker');
const { WORKFLOW_BUNDLE } = require('../dist/workers/workflow-code');

async function bundle() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../dist/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  // Written whole, so that a worker starting during a build never reads half a bundle.
  const partial = `${WORKFLOW_BUNDLE}.partial`;
  await writeFile(partial, code);
  await rename(partial, WORKFLOW_BUNDLE);
}

bundle().catch((error) => {
  process.stderr.write(`bundle-workflows: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
