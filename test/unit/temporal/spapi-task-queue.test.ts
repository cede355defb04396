import type { temporal } from '@temporalio/proto';
import { configureSpApiTaskQueue } from '../../../src/temporal/spapi-task-queue';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
type UpdateRequest = temporal.api.workflowservice.v1.IUpdateTaskQueueConfigRequest;

/** A server's task-queue config as DescribeTaskQueue reports it, changed by UpdateTaskQueueConfig. */
function fakeServer(refusal?: Error) {
  const config: temporal.api.taskqueue.v1.ITaskQueueConfig = {};
  const updates: UpdateRequest[] = [];
  const service = {
    describeTaskQueue: () => (refusal ? Promise.reject(refusal) : Promise.resolve({ config })),
    updateTaskQueueConfig: (request: UpdateRequest) => {
      updates.push(request);
      if (request.updateFairnessKeyRateLimitDefault) {
        config.fairnessKeysRateLimitDefault = { rateLimit: request.updateFairnessKeyRateLimitDefault.rateLimit };
      }
      if (request.updateQueueRateLimit) config.queueRateLimit = { rateLimit: request.updateQueueRateLimit.rateLimit };
      return Promise.resolve({ config });
    },
  } as unknown as WorkflowService;
  return { service, updates };
}

function grpcFailure(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

const target = { namespace: 'default', taskQueue: 'review-solicitations' };

describe('configureSpApiTaskQueue', () => {
  it('sets the per-key default of the -spapi activity queue once, then finds it already so', async () => {
    const { service, updates } = fakeServer();
    const first = await configureSpApiTaskQueue(service, { ...target, maxRps: 1 });
    const second = await configureSpApiTaskQueue(service, { ...target, maxRps: 1 });
    expect(first).toMatchObject({ mode: 'per-seller', changed: true });
    expect(second).toMatchObject({ mode: 'per-seller', changed: false });
    expect(second.message).toMatch(/review-solicitations-spapi: .*1 request\/s.*\(already so\)$/);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      taskQueue: 'review-solicitations-spapi',
      taskQueueType: 2,
      updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: 1 } },
    });
    expect(updates[0]!.updateQueueRateLimit).toBeUndefined();
  });

  it('adds, keeps and removes the whole-queue limit as SPAPI_MAX_TOTAL_RPS comes and goes', async () => {
    const { service, updates } = fakeServer();
    await configureSpApiTaskQueue(service, { ...target, maxRps: 1, maxTotalRps: 0.3 });
    await configureSpApiTaskQueue(service, { ...target, maxRps: 1, maxTotalRps: 0.3 });
    await configureSpApiTaskQueue(service, { ...target, maxRps: 1 });
    expect(updates).toHaveLength(2);
    expect(updates[0]!.updateQueueRateLimit).toMatchObject({ rateLimit: { requestsPerSecond: 0.3 } });
    // A RateLimitUpdate without a rate limit removes the queue's limit; the per-key default stays.
    expect(updates[1]!.updateQueueRateLimit).toEqual(expect.not.objectContaining({ rateLimit: expect.anything() }));
    expect(updates[1]!.updateFairnessKeyRateLimitDefault).toBeUndefined();
  });

  it.each([
    [12, 'unknown method UpdateTaskQueueConfig'],
    [7, 'Request unauthorized.'],
  ])('falls back to one worker-side limit when the server answers %i', async (code, details) => {
    const { service } = fakeServer(grpcFailure(code, details));
    const result = await configureSpApiTaskQueue(service, { ...target, maxRps: 2, maxTotalRps: 10 });
    expect(result).toMatchObject({ mode: 'queue-wide', workerLimit: 2 });
    expect(result.message).toContain(details);
    expect(result.message).toMatch(/one limit of 2 request\/s for the whole queue/);
  });

  it('rethrows a fault that is not a refusal, such as an unreachable server', async () => {
    const { service } = fakeServer(grpcFailure(14, 'connection refused'));
    await expect(configureSpApiTaskQueue(service, { ...target, maxRps: 1 })).rejects.toThrow('connection refused');
  });
});
