import type { HistoryAndWorkflowId } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { workflowCode } from './workflow-code';

/** An order whose history this build's workflow code does not replay: the reason is the replayer's first line. */
export interface ReplayFailure {
  workflowId: string;
  reason: string;
}

export interface ReplayOutcome {
  replayed: number;
  failures: ReplayFailure[];
}

/**
 * Replays histories against the workflow code the worker runs (docs/spec.md "Deploys"): the build's bundle
 * once built, the workflow sources when run from source. `solicit replay-check` replays the namespace's
 * histories through here and the replay test the recorded ones, so both judge the same code the same way.
 * `code` is for a build other than this one: a fixture that must fail the check.
 */
export async function replayHistories(
  histories: Iterable<HistoryAndWorkflowId> | AsyncIterable<HistoryAndWorkflowId>,
  code: ReturnType<typeof workflowCode> = workflowCode(),
): Promise<ReplayOutcome> {
  const failures: ReplayFailure[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(code, histories)) {
    replayed += 1;
    if (result.error) failures.push({ workflowId: result.workflowId, reason: firstLine(result.error.message) });
  }
  return { replayed, failures };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
