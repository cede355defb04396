import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Billed actions of one workflow history under Temporal Cloud's rules (docs.temporal.io/cloud/actions):
 * a start (a signal-with-start's signal included), each signal, timer, search-attribute upsert, activity
 * scheduled, activity retry (attempt - 1 on its started event), and the markers of one workflow task as one.
 * Queries are billed too but leave no event; the month sends none. An upsert of `TemporalChangeVersion`
 * alone (the SDK's record of a patch) is exempt.
 */
export function temporalActions(events: readonly HistoryEvent[]): number {
  let actions = 0;
  const markerTasks = new Set<string>();
  for (const [index, event] of events.entries()) {
    if (event.workflowExecutionStartedEventAttributes) actions += 1;
    // A signal recorded right after the start came with it (signal-with-start): one action for both.
    else if (event.workflowExecutionSignaledEventAttributes && index !== 1) actions += 1;
    else if (event.timerStartedEventAttributes) actions += 1;
    else if (event.upsertWorkflowSearchAttributesEventAttributes) actions += billedUpsert(event) ? 1 : 0;
    else if (event.activityTaskScheduledEventAttributes) actions += 1;
    else if (event.activityTaskStartedEventAttributes)
      actions += Math.max(0, (event.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    else if (event.markerRecordedEventAttributes) {
      markerTasks.add(String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId));
    }
  }
  return actions + markerTasks.size;
}

function billedUpsert(event: HistoryEvent): boolean {
  const fields = Object.keys(
    event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
  );
  return fields.some((name) => name !== 'TemporalChangeVersion');
}
