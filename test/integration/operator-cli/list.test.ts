import { formatInstant } from '../../../src/domain/web-ui';
import { oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { iso } from '../../helpers/orders';

const cli = operatorCli('list');
const { solicit, newSeller, waitingAndSolicited, visible } = cli;

describe('solicit list', () => {
  it('lists the orders of a phase, for people and for machines', async () => {
    const sellerId = newSeller();
    const { waiting, window, solicited } = await waitingAndSolicited(sellerId);
    await visible(sellerId, { waiting: 1, solicited: 1 });
    const filter = `AmazonSellerId = '${sellerId}'`;

    const [json, text, all, badPhase] = await Promise.all([
      solicit('list', '--phase', 'waiting', '--query', filter, '--json'),
      solicit('list', '--phase', 'waiting', '--query', filter),
      solicit('list', '--query', filter, '--json'),
      solicit('list', '--phase', 'sent'),
    ]);

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        amazonOrderId: waiting,
        phase: 'waiting',
        solicitAfter: iso(window.solicitAfter),
        solicitBefore: iso(window.solicitBefore),
        marketplaceId: 'ATVPDKIKX0DER',
        sellerId,
        workflowStatus: 'RUNNING',
      },
    ]);
    expect(text.stdout.split('\n')).toEqual([
      'ORDER                PHASE    WINDOW OPENS          WINDOW CLOSES         MARKETPLACE    SELLER',
      [waiting, 'waiting', formatInstant(window.solicitAfter), formatInstant(window.solicitBefore)]
        .concat(['ATVPDKIKX0DER', sellerId])
        .join('  '),
      '',
    ]);
    const everyPhase = JSON.parse(all.stdout) as { amazonOrderId: string; phase: string }[];
    expect(everyPhase.map(({ amazonOrderId, phase }) => [amazonOrderId, phase]).sort()).toEqual(
      [
        [waiting, 'waiting'],
        [solicited, 'solicited'],
      ].sort(),
    );
    oneErrorLine(
      badPhase,
      2,
      "solicit list: unknown phase 'sent' (one of waiting, checking, blocked, solicited, already-solicited, expired, cancelled, failed, dry-run)",
    );
  });
});
