import { setFlagsFromString } from 'node:v8';

/**
 * V8 sizes an isolate's young generation from the machine's memory, not the process's needs: on a large
 * host the workflow thread's isolate keeps well over 100 MiB of new-space and pooled pages for some 40 MiB
 * of live workflow state (BENCHMARKS.md, "Worker memory"). A small semi-space bounds that slack, at the cost
 * of more frequent (cheap) scavenges.
 */
export const WORKFLOW_SEMI_SPACE_MIB = 4;

const FLAG = '--max-semi-space-size';

/**
 * Sets the semi-space size of isolates created from now on: the SDK creates the workflow thread, where the
 * cached workflows live, when the workflow worker is created. An operator's own `--max-semi-space-size`
 * (in NODE_OPTIONS or on node's command line) is left in force.
 */
export function boundWorkflowIsolateHeap(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  // Node and V8 take a flag with dashes or underscores alike.
  const operatorChose = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) =>
    `--${arg.replace(/^--/, '').replaceAll('_', '-')}`.startsWith(FLAG),
  );
  if (operatorChose) return false;
  setFlagsFromString(`${FLAG}=${WORKFLOW_SEMI_SPACE_MIB}`);
  return true;
}
