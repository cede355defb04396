import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { solicitationWindow } from '../../../src/domain/window';
import { operatorCli } from '../../helpers/operator-cli';
import { DAY } from '../../helpers/solicitation-harness';

const cli = operatorCli('expedite');
const { solicit, newSeller, order, started, result, visible, fake } = cli;

describe('solicit expedite, one order', () => {
  it('expedites an order: it checks eligibility now, before its window opens', async () => {
    const input = order(newSeller(), 3 * DAY);
    const [orderId] = await started(input);
    const sent = await solicit('expedite', orderId!);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(new RegExp(`^expedite sent to order ${orderId}\nended: solicited at .* UTC\n$`));
    expect(await result(orderId!)).toMatchObject({ outcome: 'solicited', checks: 1 });
    const [check] = fake.callsFor(orderId!, 'check');
    expect(check!.at).toBeLessThan(solicitationWindow(input, DEFAULT_POLICY).solicitAfter);
  });
});

describe('solicit expedite, a batch by list filter', () => {
  it('expedites the running orders the filter matches', async () => {
    const sellerId = newSeller();
    const targets = await started(order(sellerId, 3 * DAY), order(sellerId, 4 * DAY));
    await visible(sellerId, { waiting: 2 });

    const sent = await solicit('expedite', '--query', `AmazonSellerId = '${sellerId}'`);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^expedite sent to 2 orders \(batch job [\w-]+\)\n$/);
    for (const orderId of targets) expect(await result(orderId)).toMatchObject({ outcome: 'solicited', checks: 1 });
  });
});
