import { freePort } from '../../../src/local/processes';
import { reviewSolicitation } from '../../../src/workflows';
import { oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { runSolicit } from '../../helpers/run-solicit';
import { DAY } from '../../helpers/solicitation-harness';

const cli = operatorCli('usage-and-errors');
const { solicit, newSeller, order, taskQueue } = cli;

describe('bad input and unreachable servers', () => {
  it('answers a malformed filter or bad usage with one line and exit code 2', async () => {
    const [malformed, unknownAttribute, empty, noTarget, both, unknownOption] = await Promise.all([
      solicit('cancel', '--query', "AmazonSellerId = 'A1' AND ("),
      solicit('list', '--query', "NoSuchAttribute = 'x'"),
      solicit('stats', '--query', ' '),
      solicit('expedite'),
      solicit('cancel', '903-0000000-0000000', '--query', "AmazonSellerId = 'A1'"),
      solicit('list', '--seller', 'A1'),
    ]);
    oneErrorLine(malformed, 2, /^solicit cancel: bad list filter: .+/);
    oneErrorLine(unknownAttribute, 2, /^solicit list: bad list filter: .*NoSuchAttribute/);
    oneErrorLine(empty, 2, `solicit stats: --query needs a list filter, such as "AmazonSellerId = 'A2EXAMPLE'"`);
    oneErrorLine(noTarget, 2, 'solicit expedite: which orders? (solicit expedite <orderId>, or --query FILTER)');
    oneErrorLine(both, 2, 'solicit cancel: give an order ID or --query, not both');
    oneErrorLine(unknownOption, 2, /^solicit list: Unknown option '--seller'/);
  });

  it('fails with exit code 1 and one line when Temporal or a worker does not answer', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    // An order whose task queue no worker polls cannot answer its status query.
    const input = order(newSeller(), 3 * DAY);
    const orphan = await cli.client.workflow.start(reviewSolicitation, {
      taskQueue: `${taskQueue}-nobody`,
      workflowId: input.amazonOrderId,
      args: [input],
    });
    const [stats, status, noWorker] = await Promise.all([
      runSolicit(['stats'], { TEMPORAL_ADDRESS: address }),
      runSolicit(['status', '903-0000000-0000000'], { TEMPORAL_ADDRESS: address }),
      solicit('status', input.amazonOrderId),
    ]);
    await orphan.terminate('test over');

    const unreachable = `cannot connect to Temporal at ${address}: Failed to connect before the deadline`;
    oneErrorLine(stats, 1, `solicit stats: ${unreachable}`);
    oneErrorLine(status, 1, `solicit status: ${unreachable}`);
    expect(Math.max(stats.ms, status.ms)).toBeLessThan(10_000);
    oneErrorLine(
      noWorker,
      1,
      new RegExp(
        `^solicit status: order ${input.amazonOrderId}: no worker answered its status query .+; ` +
          `is 'solicit worker' running for task queue ${taskQueue}-nobody\\?$`,
      ),
    );
  });

  it('prints the usage of every operator command with --help', async () => {
    const names = ['status', 'list', 'stats', 'cancel', 'expedite', 'retry'];
    const runs = await Promise.all(names.map((name) => solicit(name, '--help')));
    runs.forEach((run, index) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: solicit ${names[index]} `));
    });
  });
});
