import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where `npm run build` writes the workflow code bundled once (scripts/bundle-workflows.mjs). */
export const WORKFLOW_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

/**
 * The built worker loads the bundle made at build time instead of bundling at every start; run from
 * source (tests, tsx) there is no bundle, and the worker bundles src/workflows itself.
 */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  return existsSync(WORKFLOW_BUNDLE)
    ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } }
    : { workflowsPath: require.resolve('../workflows') };
}
