import type { WorkflowService } from '@temporalio/client';

/** docs/spec.md "Workflow contract", Dedupe: a closed order must stay visible for longer than its window. */
export const MIN_RETENTION_DAYS = 45;

const DAY_SECONDS = 24 * 60 * 60;

/**
 * The namespace's retention of closed workflows, said in one line, and a warning when it is shorter than an
 * order's window: once a solicited order's workflow is deleted, a late notification for it starts a second one.
 */
export async function checkRetention(service: WorkflowService, namespace: string): Promise<string> {
  const { config } = await service.describeNamespace({ namespace });
  const seconds = Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  const days = Math.round((seconds / DAY_SECONDS) * 10) / 10;
  if (seconds >= MIN_RETENTION_DAYS * DAY_SECONDS) return `retention: ${days} days (at least ${MIN_RETENTION_DAYS})`;
  return (
    `retention: WARNING ${days} days, under ${MIN_RETENTION_DAYS}: a notification that arrives after a solicited ` +
    `order's workflow is deleted would start it again; raise it (temporal operator namespace update ` +
    `--namespace ${namespace} --retention ${MIN_RETENTION_DAYS}d, or the Cloud namespace's retention)`
  );
}
