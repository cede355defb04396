import { searchAttributes } from '../../../src/domain/contract';
import { oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { DAY } from '../../helpers/solicitation-harness';

const cli = operatorCli('cancel');
const { solicit, newSeller, order, started, result, visible, taskQueue } = cli;

describe('solicit cancel, one order', () => {
  it('cancels an order with the reason given, and refuses one that has ended', async () => {
    const [orderId] = await started(order(newSeller(), 3 * DAY));
    const sent = await solicit('cancel', orderId!, '--reason', 'customer asked us not to');
    expect(sent).toMatchObject({ code: 0, stdout: `cancel sent to order ${orderId}\n`, stderr: '' });
    expect(await result(orderId!)).toEqual({
      amazonOrderId: orderId,
      outcome: 'cancelled',
      checks: 0,
      reason: 'customer asked us not to',
    });
    oneErrorLine(
      await solicit('cancel', orderId!),
      2,
      `solicit cancel: order ${orderId} has already ended (cancelled)`,
    );
  });
});

describe('solicit cancel, a batch by list filter', () => {
  it("cancels the running orders the filter matches, and only the product's running workflows", async () => {
    const sellerId = newSeller();
    const targets = await started(order(sellerId, 3 * DAY), order(sellerId, 4 * DAY), order(sellerId, 5 * DAY));
    const [ended] = await started(order(sellerId, -DAY));
    const [bystander] = await started(order(newSeller(), 3 * DAY));
    // Another workflow type carrying the same seller ID, never run: the batch must leave it alone.
    const stranger = await cli.client.workflow.start('someOtherWorkflow', {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: `stranger-${sellerId}`,
      typedSearchAttributes: [{ key: searchAttributes.sellerId, value: sellerId }],
    });
    await result(ended!);
    await visible(sellerId, { waiting: 3, solicited: 1 });

    const sent = await solicit('cancel', '--query', `AmazonSellerId = '${sellerId}'`, '--reason', 'seller paused');
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^cancel sent to 3 orders \(batch job [\w-]+\)\n$/);
    for (const orderId of targets) {
      expect(await result(orderId)).toMatchObject({ outcome: 'cancelled', reason: 'seller paused' });
    }
    expect((await cli.client.workflow.getHandle(bystander!).describe()).status.name).toBe('RUNNING');
    const strangerHistory = await stranger.fetchHistory();
    expect(strangerHistory.events?.some((event) => event.workflowExecutionSignaledEventAttributes)).toBe(false);
    await stranger.terminate('test over');
  });

  it('refuses a filter that reaches past the guard, or a reason of several lines, and signals nothing', async () => {
    const sellerId = newSeller();
    const [target] = await started(order(sellerId, 3 * DAY));
    const [bystander] = await started(order(newSeller(), 3 * DAY));
    await visible(sellerId, { waiting: 1 });

    const [escaping, unbalanced, longReason] = await Promise.all([
      solicit('cancel', '--query', `AmazonSellerId = '${sellerId}') OR (ExecutionStatus = 'Running'`, '--yes'),
      solicit('expedite', '--query', `AmazonSellerId = '${sellerId}`, '--yes'),
      solicit('cancel', '--query', `AmazonSellerId = '${sellerId}'`, '--reason', 'one\ntwo', '--yes'),
    ]);
    const column = `AmazonSellerId = '${sellerId}'`.length + 1;
    oneErrorLine(
      escaping,
      2,
      `solicit cancel: bad list filter: ')' at column ${column} closes a parenthesis the filter did not open`,
    );
    oneErrorLine(
      unbalanced,
      2,
      "solicit expedite: bad list filter: the string opened at column 18 is never closed (missing ')",
    );
    oneErrorLine(longReason, 2, 'solicit cancel: --reason must be one line of text');
    for (const orderId of [target!, bystander!]) {
      // A fresh start sends no signal (its input carries the dates): none may follow.
      const history = await cli.client.workflow.getHandle(orderId).fetchHistory();
      const signals = history.events?.flatMap(
        (event) => event.workflowExecutionSignaledEventAttributes?.signalName ?? [],
      );
      expect(signals).toEqual([]);
      expect((await cli.client.workflow.getHandle(orderId).describe()).status.name).toBe('RUNNING');
    }
  });

  it('sends nothing when no running order matches', async () => {
    const filter = `AmazonSellerId = '${newSeller()}'`;
    expect(await solicit('cancel', '--query', filter)).toMatchObject({
      code: 0,
      stdout: `no running order matches ${filter}\n`,
    });
  });
});
