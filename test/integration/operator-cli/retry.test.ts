import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../../src/domain/contract';
import { startOrder } from '../../../src/orders/start';
import { formatInstant } from '../../../src/domain/web-ui';
import { solicitationWindow } from '../../../src/domain/window';
import { SpApiError } from '../../../src/spapi/errors';
import { oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { DAY, OFFERED } from '../../helpers/solicitation-harness';

const cli = operatorCli('retry');
const { solicit, newSeller, order, started, result, visible, withStub, fake, taskQueue, temporalNamespace } = cli;

describe('solicit retry', () => {
  /** Amazon answers 400 to the order's first check, as for an order it does not know yet; later ones offer. */
  function failingOnce(input: ReviewSolicitationInput): ReviewSolicitationInput {
    fake.script(input.amazonOrderId, {
      check: (call) => {
        if (call > 1) return OFFERED;
        throw new SpApiError('invalid-input', 'getSolicitationActionsForOrder', 'InvalidInput: order not found', {
          status: 400,
        });
      },
    });
    return input;
  }

  /** The event of the current run's history where a reset took it back to its first workflow task. */
  async function resetEvent(orderId: string) {
    const { events } = await cli.client.workflow.getHandle(orderId).fetchHistory();
    return events?.find((event) => event.workflowTaskFailedEventAttributes);
  }

  it('reopens a failed order from its first workflow task: it runs again and is solicited', async () => {
    const [orderId] = await started(failingOnce(order(newSeller(), -DAY)));
    expect(await result(orderId!)).toMatchObject({ outcome: 'failed', checks: 0 });
    const failedRun = (await cli.client.workflow.getHandle(orderId!).describe()).runId;

    const retried = await solicit('retry', orderId!);
    expect(retried).toMatchObject({ code: 0, stdout: `order ${orderId} reopened\n`, stderr: '' });
    expect(await result(orderId!)).toMatchObject({ outcome: 'solicited', checks: 1 });
    expect(fake.callsFor(orderId!, 'check')).toHaveLength(2);
    expect(fake.callsFor(orderId!, 'solicit')).toHaveLength(1);

    expect((await cli.client.workflow.getHandle(orderId!).describe()).runId).not.toBe(failedRun);
    // The new run keeps the first run's start and first workflow task, then the reset, with its reason.
    const reset = await resetEvent(orderId!);
    expect(Number(reset?.eventId)).toBe(4);
    expect(reset?.workflowTaskFailedEventAttributes).toMatchObject({
      baseRunId: failedRun,
      failure: { message: 'solicit retry: reopened by an operator' },
    });

    oneErrorLine(
      await solicit('retry', orderId!),
      2,
      `solicit retry: order ${orderId} ended solicited: only failed orders, and expired ones whose window is still ` +
        'open, are retried',
    );
  });

  it('reopens an expired order whose window is in fact still open', async () => {
    await withStub('review-solicitation-stub', async (stubQueue) => {
      const input = order(newSeller(), 3 * DAY);
      await startOrder(cli.client, stubQueue, input);
      const handle = cli.client.workflow.getHandle(input.amazonOrderId);
      expect(await handle.result()).toMatchObject({ outcome: 'expired' });
      const expiredRun = (await handle.describe()).runId;

      const retried = await solicit('retry', input.amazonOrderId);
      expect(retried).toMatchObject({ code: 0, stdout: `order ${input.amazonOrderId} reopened\n`, stderr: '' });
      await handle.result();
      expect((await resetEvent(input.amazonOrderId))?.workflowTaskFailedEventAttributes?.baseRunId).toBe(expiredRun);
    });
  });

  it('refuses a running order, an unknown one, another workflow type and a closed window, with exit code 2', async () => {
    const sellerId = newSeller();
    const closedWindowInput = order(sellerId, -40 * DAY);
    const [running, closedWindow] = await started(order(sellerId, 3 * DAY), closedWindowInput);
    expect(await result(closedWindow!)).toMatchObject({ outcome: 'expired' });
    const stranger = await cli.client.workflow.start('someOtherWorkflow', {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: `stranger-${sellerId}`,
    });

    const [whileRunning, unknown, otherType, expired, noTarget] = await Promise.all([
      solicit('retry', running!),
      solicit('retry', '903-0000000-0000000'),
      solicit('retry', stranger.workflowId),
      solicit('retry', closedWindow!),
      solicit('retry'),
    ]);
    await stranger.terminate('test over');
    const closes = formatInstant(solicitationWindow(closedWindowInput, DEFAULT_POLICY).solicitBefore);
    oneErrorLine(whileRunning, 2, `solicit retry: order ${running} is still running (waiting): nothing to retry`);
    oneErrorLine(unknown, 2, `solicit retry: no order 903-0000000-0000000 in namespace ${temporalNamespace}`);
    oneErrorLine(
      otherType,
      2,
      `solicit retry: ${stranger.workflowId} is a someOtherWorkflow workflow, not an order's reviewSolicitation`,
    );
    oneErrorLine(
      expired,
      2,
      `solicit retry: order ${closedWindow} expired and its window closed on ${closes}: ` +
        'Amazon would not take its review request',
    );
    oneErrorLine(noTarget, 2, 'solicit retry: which orders? (solicit retry <orderId>, or --query FILTER)');
    expect((await cli.client.workflow.getHandle(running!).describe()).status.name).toBe('RUNNING');
  });

  it('reopens the failed orders a list filter matches, once, and refuses a filter that escapes the guard', async () => {
    const sellerId = newSeller();
    const failing = await started(failingOnce(order(sellerId, -DAY)), failingOnce(order(sellerId, -DAY)));
    const [solicited] = await started(order(sellerId, -DAY));
    for (const orderId of failing) expect(await result(orderId)).toMatchObject({ outcome: 'failed' });
    await result(solicited!);
    await visible(sellerId, { failed: 2, solicited: 1 });
    const filter = `AmazonSellerId = '${sellerId}'`;

    const escaping = await solicit('retry', '--query', `${filter}) OR (ExecutionStatus = 'Completed'`, '--yes');
    oneErrorLine(
      escaping,
      2,
      `solicit retry: bad list filter: ')' at column ${filter.length + 1} closes a parenthesis the filter did not open`,
    );
    expect(fake.callsFor(failing[0]!, 'check')).toHaveLength(1);

    const retried = await solicit('retry', '--query', filter, '--yes');
    expect(retried).toMatchObject({ code: 0, stdout: '2 orders reopened\n', stderr: '' });
    for (const orderId of failing) expect(await result(orderId)).toMatchObject({ outcome: 'solicited', checks: 1 });
    expect(fake.callsFor(solicited!, 'check')).toHaveLength(1);

    // Visibility still lists the failed runs the retry replaced: they are not reopened again.
    await visible(sellerId, { failed: 2, solicited: 3 });
    expect(await solicit('retry', '--query', filter)).toMatchObject({
      code: 0,
      stdout: `no order to retry matches ${filter}\n`,
    });
  });
});
