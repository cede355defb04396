import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributes } from '../../src/domain/contract';
import type { reviewSolicitation } from '../../src/workflows';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { addSellers, startOneSellerWorker, startOrders } from '../helpers/seller-fleet';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';

/** When the orders' window opens after they start: long enough to see them wait on version A first. */
const OPENS_AFTER_MS = 10_000;
const AUTO_UPGRADE = temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE;

/**
 * docs/spec.md "Deploys": with WORKER_DEPLOYMENT_NAME set, `solicit worker` runs as version
 * WORKER_BUILD_ID of a Worker Deployment. Orders started while version A is current keep sleeping across
 * the rollout; once B is current, B serves them: the timer that opens their window fires a workflow task
 * that runs on B, which solicits them. A stops before B starts, so that only B can serve them, whenever
 * their timers fire. Orders started before versioning was turned on move to the first current version.
 */
describe('Worker Versioning', () => {
  let env: TestWorkflowEnvironment;
  let simulator: SpApiSimulator;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    ensureBuilt();
    env = await connectToDevServer();
    simulator = await startSpApiSimulator();
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    await simulator?.close();
    await env?.teardown();
  });

  it('keeps orders started on version A running and solicits them on version B once B is current', async () => {
    const rollout = deployment();
    const versionA = await rollout.start('a');
    const orders = await rollout.startWaitingOrders('a');
    expect((await Promise.all(orders.map(versionOf))).map((version) => version.behavior)).toEqual([
      AUTO_UPGRADE,
      AUTO_UPGRADE,
    ]);

    await versionA.stop();
    await rollout.start('b');

    await rollout.expectSolicitedOn(orders, 'b');
  });

  it('moves orders started on unversioned workers to the first version made current', async () => {
    const rollout = deployment();
    const unversioned = await rollout.start(undefined);
    const orders = await rollout.startWaitingOrders(undefined);

    await unversioned.stop();
    await rollout.start('first');

    await rollout.expectSolicitedOn(orders, 'first');
  });

  /** A task queue, a deployment and a seller of their own; versions started with `start` are made current. */
  function deployment() {
    const taskQueue = uniqueTaskQueue('versioning');
    const deploymentName = `review-solicitations-${taskQueue}`;
    const [seller] = addSellers(simulator, 'A3VERSION', 1) as [string];
    return {
      /** `solicit worker` as version `buildId` of the deployment, made current; unversioned without one. */
      async start(buildId: string | undefined) {
        const fleet = await startOneSellerWorker(
          simulator,
          seller,
          taskQueue,
          buildId === undefined ? {} : { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId },
        );
        stops.push(fleet.stop);
        const started = fleet.workers[0]!.logs.find((line) => line.message === 'workers started');
        if (buildId === undefined) {
          expect(started).not.toHaveProperty('deploymentName');
        } else {
          expect(started).toMatchObject({ deploymentName, buildId });
          await makeCurrent(deploymentName, buildId);
        }
        return fleet;
      },
      /** Two orders whose window opens shortly, once both wait on `buildId` (unversioned: none). */
      async startWaitingOrders(buildId: string | undefined) {
        const ids = [`${taskQueue}-1`, `${taskQueue}-2`];
        await startOrders(
          env.client,
          simulator,
          taskQueue,
          ids.map((amazonOrderId) => ({ amazonOrderId, sellerId: seller })),
          Date.now() + OPENS_AFTER_MS,
        );
        const handles = ids.map((id) => env.client.workflow.getHandle<typeof reviewSolicitation>(id));
        await eventually(
          `both orders waiting on ${buildId ?? 'unversioned workers'}`,
          () => Promise.all(handles.map(versionOf)),
          (versions) => versions.every((version) => version.buildId === buildId && version.phase === 'waiting'),
        );
        return handles;
      },
      async expectSolicitedOn(handles: WorkflowHandle<typeof reviewSolicitation>[], buildId: string) {
        const results = await Promise.all(handles.map((handle) => handle.result()));
        expect(results.map((result) => result.outcome)).toEqual(['solicited', 'solicited']);
        expect(simulator.solicitations.map((sent) => sent.amazonOrderId)).toEqual(
          expect.arrayContaining(handles.map((handle) => handle.workflowId)),
        );
        expect((await Promise.all(handles.map(versionOf))).map((version) => version.buildId)).toEqual([
          buildId,
          buildId,
        ]);
      },
    };
  }

  /** Sets the deployment's current version, once its worker has polled and the server knows the version. */
  async function makeCurrent(deploymentName: string, buildId: string): Promise<void> {
    await eventually(
      `version ${buildId} of ${deploymentName} made current`,
      () =>
        env.connection.workflowService
          .setWorkerDeploymentCurrentVersion({ namespace: env.namespace ?? 'default', deploymentName, buildId })
          .then(
            () => true,
            () => false,
          ),
      (done) => done,
      60_000,
    );
  }
});

async function versionOf(handle: WorkflowHandle): Promise<{ buildId?: string; behavior?: number; phase?: string }> {
  const description = await handle.describe();
  const info = description.raw.workflowExecutionInfo?.versioningInfo;
  return {
    buildId: info?.deploymentVersion?.buildId ?? undefined,
    behavior: info?.behavior ?? undefined,
    phase: description.typedSearchAttributes.get(searchAttributes.phase),
  };
}
