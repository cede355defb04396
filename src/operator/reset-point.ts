import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type EventId = NonNullable<HistoryEvent['eventId']>;

/** Where a reset to the first workflow task goes, and whether a later page could still move it. */
export interface ResetPoint {
  eventId: EventId;
  /** The first WorkflowTaskCompleted: final. Otherwise the event after the first WorkflowTaskScheduled. */
  completed: boolean;
}

/**
 * The event Temporal's own "reset to first workflow task" picks (`temporal workflow reset --type
 * FirstWorkflowTask`, and the server's batch reset): the first WorkflowTaskCompleted event; in a history
 * without one, the event after the first WorkflowTaskScheduled. Reads one page of the history in order,
 * given what the pages before it found.
 */
export function firstWorkflowTask(events: readonly HistoryEvent[], before?: ResetPoint): ResetPoint | undefined {
  let point = before;
  for (const event of events) {
    if (!event.eventId) continue;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      return { eventId: event.eventId, completed: true };
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && point === undefined) {
      point = { eventId: event.eventId.add(1), completed: false };
    }
  }
  return point;
}

/** Reads the run's history from its start until the first workflow task is found. */
export async function firstWorkflowTaskEventId(
  client: Client,
  execution: { workflowId: string; runId: string },
): Promise<EventId> {
  let point: ResetPoint | undefined;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution,
      maximumPageSize: 100,
      nextPageToken,
    });
    point = firstWorkflowTask(page.history?.events ?? [], point);
    if (point?.completed) return point.eventId;
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  if (point === undefined) throw new Error(`order ${execution.workflowId}: its history holds no workflow task`);
  return point.eventId;
}
