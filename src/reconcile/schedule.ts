import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { durationToMs } from '../domain/duration';
import { UsageError } from '../errors';
import { RECONCILE_SCHEDULE_ID, RECONCILE_WORKFLOW_TYPE, type ReconcileOrdersInput } from './workflow/contract';
import type { reconcileOrders } from './workflow/reconcile-orders';

export interface ReconcileScheduleSettings {
  /** How often it runs (docs/spec.md: `RECONCILE_INTERVAL`); `off`: no schedule. */
  interval: Duration | 'off';
  /** How far back each run looks (docs/spec.md: `RECONCILE_DAYS`). */
  days: number;
  /** The workflows' task queue: reconciliation's workflow and activities run there. */
  taskQueue: string;
  /** Point an existing schedule at another task queue (`solicit setup --force`). */
  force?: boolean;
}

export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'removed' | 'absent';

/**
 * Creates, updates or removes the `reconcile-orders` schedule so that it is as `settings` say, and says
 * what it changed. Idempotent: a schedule that already runs the same workflow at the same interval with
 * the same input is left alone (its next run time and its history of runs included).
 */
export async function applyReconcileSchedule(
  client: Client,
  settings: ReconcileScheduleSettings,
): Promise<{ change: ScheduleChange; message: string }> {
  const handle = client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
  const current = await handle.describe().catch((error: unknown) => {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  });
  const name = `schedule ${RECONCILE_SCHEDULE_ID}`;
  if (settings.interval === 'off') {
    if (current === undefined) return { change: 'absent', message: `${name}: none (RECONCILE_INTERVAL=off)` };
    await handle.delete();
    return { change: 'removed', message: `${name}: removed (RECONCILE_INTERVAL=off)` };
  }
  const every = { ...settings, interval: settings.interval };
  const wanted = `every ${String(settings.interval)}, orders of the last ${settings.days} days`;
  if (current === undefined) {
    await client.schedule.create({ scheduleId: RECONCILE_SCHEDULE_ID, ...scheduleOf(every) });
    return { change: 'created', message: `${name}: created, ${wanted}` };
  }
  if (matches(current, every)) return { change: 'unchanged', message: `${name}: ${wanted} (already so)` };
  const currentQueue = current.action.type === 'startWorkflow' ? current.action.taskQueue : undefined;
  if (currentQueue !== undefined && currentQueue !== settings.taskQueue && settings.force !== true) {
    // Another deployment's schedule (a trial's setup in production's namespace, or the reverse): moving it
    // would take reconciliation away from the workers that serve it.
    throw new UsageError(
      `${name} runs on task queue ${currentQueue}, not ${settings.taskQueue}: ` +
        `another deployment may use this namespace; to move it here, run setup with --force`,
    );
  }
  await handle.update((previous) => ({ ...previous, ...scheduleOf(every) }));
  return { change: 'updated', message: `${name}: updated, ${wanted}` };
}

function scheduleOf(settings: ReconcileScheduleSettings & { interval: Duration }) {
  const input: ReconcileOrdersInput = { days: settings.days };
  const action: ScheduleOptionsStartWorkflowAction<typeof reconcileOrders> = {
    type: 'startWorkflow',
    workflowType: RECONCILE_WORKFLOW_TYPE,
    args: [input],
    taskQueue: settings.taskQueue,
    // The server appends the run's time, so each run has an ID of its own.
    workflowId: RECONCILE_SCHEDULE_ID,
  };
  return {
    spec: { intervals: [{ every: settings.interval }] },
    action,
    // A run still paging a big seller when the next is due makes the next one pointless.
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  } satisfies Omit<ScheduleUpdateOptions, 'state'>;
}

function matches(current: ScheduleDescription, settings: ReconcileScheduleSettings & { interval: Duration }): boolean {
  const intervals = current.spec.intervals ?? [];
  const calendars = current.spec.calendars ?? [];
  const action = current.action;
  const input = action.args?.[0] as Partial<ReconcileOrdersInput> | undefined;
  return (
    intervals.length === 1 &&
    calendars.length === 0 &&
    // The server keeps whole seconds.
    Math.round(intervals[0]!.every / 1000) === Math.round(durationToMs(settings.interval) / 1000) &&
    (intervals[0]!.offset ?? 0) === 0 &&
    action.type === 'startWorkflow' &&
    action.workflowType === RECONCILE_WORKFLOW_TYPE &&
    action.taskQueue === settings.taskQueue &&
    action.args?.length === 1 &&
    input?.days === settings.days &&
    Object.keys(input).length === 1 &&
    current.policies.overlap === ScheduleOverlapPolicy.SKIP
  );
}
