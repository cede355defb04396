import type { temporal } from '@temporalio/proto';
import {
  acceptSpApiPacing,
  configureSpApiTaskQueue,
  SpApiPacingRefusedError,
} from '../../../src/temporal/spapi-task-queue';

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

describe('acceptSpApiPacing', () => {
  const refusedBy = (details: string) =>
    configureSpApiTaskQueue(fakeServer(grpcFailure(7, details)).service, {
      ...target,
      maxRps: 1,
    });

  it('takes the whole-queue fallback for one seller', async () => {
    const setup = await refusedBy('Request unauthorized.');
    expect(acceptSpApiPacing(setup, { sellers: 1, pacing: 'key' })).toBe(setup);
  });

  it('refuses to start with several sellers, in one line naming the server answer', async () => {
    const setup = await refusedBy('fairness is not enabled for this namespace');
    let refusal: unknown;
    try {
      acceptSpApiPacing(setup, { sellers: 1200, pacing: 'key' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SpApiPacingRefusedError);
    expect(refusal).toMatchObject({ serverAnswer: 'fairness is not enabled for this namespace', sellers: 1200 });
    const { message } = refusal as Error;
    expect(message).toContain('(fairness is not enabled for this namespace)');
    expect(message).toContain('SPAPI_PACING=queue');
    expect(message).not.toContain('\n');
  });

  it('accepts the shared limit for several sellers with SPAPI_PACING=queue', async () => {
    const setup = await refusedBy('Request unauthorized.');
    expect(acceptSpApiPacing(setup, { sellers: 1200, pacing: 'queue' })).toMatchObject({ mode: 'queue-wide' });
  });

  it('has nothing to accept when the server paces each seller', async () => {
    const setup = await configureSpApiTaskQueue(fakeServer().service, { ...target, maxRps: 1 });
    expect(acceptSpApiPacing(setup, { sellers: 1200, pacing: 'key' })).toBe(setup);
  });
});
