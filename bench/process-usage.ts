import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

/** User and system CPU seconds a live process has used, all its threads (/proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM), or undefined once the process is gone. */
export function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const line = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const COMPLETED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;

/** Workflow tasks the workers completed for these workflows, from their histories, 20 fetched at a time. */
export async function workflowTasks(client: Client, workflowIds: readonly string[]): Promise<number> {
  let next = 0;
  let tasks = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < workflowIds.length) {
        const history = await client.workflow.getHandle(workflowIds[next++]!).fetchHistory();
        tasks += (history.events ?? []).filter((event) => event.eventType === COMPLETED).length;
      }
    }),
  );
  return tasks;
}
