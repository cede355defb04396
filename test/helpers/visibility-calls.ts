import { Client, Connection } from '@temporalio/client';

const VISIBILITY_METHODS = ['countWorkflowExecutions', 'listWorkflowExecutions'] as const;

/**
 * A client of its own connection whose visibility calls (count and list) are counted, as Temporal Cloud
 * counts them against a namespace's visibility rate.
 */
export async function countingVisibilityClient(
  address: string,
  namespace: string,
): Promise<{ client: Client; calls: Record<(typeof VISIBILITY_METHODS)[number], number>; close(): Promise<void> }> {
  const connection = await Connection.connect({ address });
  const calls = { countWorkflowExecutions: 0, listWorkflowExecutions: 0 };
  const service = connection.workflowService as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of VISIBILITY_METHODS) {
    const call = service[method]!.bind(service);
    service[method] = (...args: unknown[]) => {
      calls[method] += 1;
      return call(...args);
    };
  }
  return { client: new Client({ connection, namespace }), calls, close: () => connection.close() };
}
