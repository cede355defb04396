import { cancelSignal, type ReviewSolicitationInput } from '../../../src/domain/contract';
import { startOrder } from '../../../src/orders/start';
import { eventually } from '../../helpers/eventually';
import { escape, oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { DAY } from '../../helpers/solicitation-harness';

const cli = operatorCli('stats');
const { solicit, newSeller, order, started, startedFor, cancel, result, visible, withStub } = cli;

describe('solicit stats', () => {
  it('counts orders per phase', async () => {
    const sellerId = newSeller();
    const [, , solicited, cancelled] = await startedFor(sellerId, 3 * DAY, 4 * DAY, -DAY, 3 * DAY);
    await Promise.all([result(solicited!), cancel(cancelled!)]);
    await visible(sellerId, { waiting: 2, solicited: 1, cancelled: 1 });

    const [json, text] = await Promise.all([
      solicit('stats', '--query', `AmazonSellerId = '${sellerId}'`, '--json'),
      solicit('stats', '--query', `AmazonSellerId = '${sellerId}'`),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      phases: {
        waiting: 2,
        checking: 0,
        blocked: 0,
        solicited: 1,
        'already-solicited': 0,
        expired: 0,
        cancelled: 1,
        failed: 0,
        'dry-run': 0,
      },
      total: 4,
      blocked: [],
    });
    expect(text.stdout).toMatch(/^PHASE {14}ORDERS\nwaiting {12}2\n/);
    expect(text.stdout).toMatch(/^total {14}4$/m);
  });

  it('lists the blocked orders per seller, with the reason one of them gives', async () => {
    const [many, one] = [newSeller(), newSeller()];
    await withStub('blocked-order-stub', async (blockedQueue) => {
      const inputs = [order(many, 3 * DAY), order(one, 3 * DAY), order(many, 3 * DAY), order(many, 3 * DAY)];
      for (const input of inputs) await startOrder(cli.client, blockedQueue, input);
      await Promise.all([visible(many, { blocked: 3 }), visible(one, { blocked: 1 })]);

      const filter = `AmazonSellerId = '${many}' OR AmazonSellerId = '${one}'`;
      const [json, text] = await Promise.all([
        solicit('stats', '--query', filter, '--json'),
        solicit('stats', '--query', filter),
      ]);
      const refused = (sellerId: string) => `Amazon refused seller ${sellerId}'s authorization (invalid_grant)`;
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        phases: { blocked: 4, waiting: 0 },
        total: 4,
        blocked: [
          { sellerId: many, orders: 3, reason: refused(many) },
          { sellerId: one, orders: 1, reason: refused(one) },
        ],
      });
      expect(text.stdout).toMatch(/^blocked {12}4$/m);
      const blockedTable = text.stdout.slice(text.stdout.indexOf('\nblocked orders per seller:\n')).split('\n');
      expect(blockedTable.slice(2)).toEqual([
        expect.stringMatching(/^SELLER +BLOCKED {2}REASON$/),
        expect.stringMatching(new RegExp(`^${many} +3 +${escape(refused(many))}$`)),
        expect.stringMatching(new RegExp(`^${one} +1 +${escape(refused(one))}$`)),
        '',
      ]);
      for (const input of inputs) await cli.client.workflow.getHandle(input.amazonOrderId).signal(cancelSignal, {});
    });
  });
});

describe('solicit stats --since', () => {
  it('counts the orders that ended in the period, per outcome, leaving out running ones', async () => {
    const sellerId = newSeller();
    const [, solicited, cancelled] = await startedFor(sellerId, 3 * DAY, -DAY, 3 * DAY);
    await Promise.all([result(solicited!), cancel(cancelled!)]);
    await visible(sellerId, { waiting: 1, solicited: 1, cancelled: 1 });

    const filter = `AmazonSellerId = '${sellerId}'`;
    const before = Date.now();
    const [json, text, badPeriod] = await Promise.all([
      solicit('stats', '--since', '1d', '--query', filter, '--json'),
      solicit('stats', '--since', '30d', '--query', filter),
      solicit('stats', '--since', '30'),
    ]);
    expect(json.code).toBe(0);
    const stats = JSON.parse(json.stdout) as { since: string; outcomes: Record<string, number>; total: number };
    expect(stats.outcomes).toMatchObject({ solicited: 1, cancelled: 1, expired: 0, failed: 0 });
    expect(stats.total).toBe(2);
    expect(Math.abs(Date.parse(stats.since) - (before - DAY))).toBeLessThan(60_000);
    expect(text.stdout).toMatch(/^solicited {10}1$/m);
    expect(text.stdout).toMatch(/^total {14}2$/m);
    oneErrorLine(
      badPeriod,
      2,
      "solicit stats: --since must be a period such as 12h, 30d or 2w (at most 3650d), got '30'",
    );
  });
});

describe('solicit stats --by', () => {
  it('counts per seller or marketplace, per outcome of the period or per phase, for people and for machines', async () => {
    const [one, two] = [newSeller(), newSeller()];
    const canada = (input: ReviewSolicitationInput) => ({ ...input, marketplaceId: 'A2EUQ1WTGCTBG2' });
    const [, solicited, cancelled, solicitedTwo] = await started(
      order(one, 3 * DAY),
      order(one, -DAY),
      canada(order(one, 3 * DAY)),
      canada(order(two, -DAY)),
    );
    await Promise.all([result(solicited!), cancel(cancelled!), result(solicitedTwo!)]);
    await visible(one, { waiting: 1, solicited: 1, cancelled: 1 });
    await visible(two, { solicited: 1 });
    const filter = `AmazonSellerId = '${one}' OR AmazonSellerId = '${two}'`;
    await eventually(
      'the three ended orders closed in visibility',
      async () => (await cli.client.workflow.count(`(${filter}) AND ExecutionStatus != 'Running'`)).count,
      (count) => count === 3,
    );

    const [bySeller, byMarketplace, phases, badGroup] = await Promise.all([
      solicit('stats', '--since', '1d', '--by', 'seller', '--query', filter, '--json'),
      solicit('stats', '--since', '30d', '--by', 'marketplace', '--query', filter),
      solicit('stats', '--by', 'marketplace', '--query', filter, '--json'),
      solicit('stats', '--since', '1d', '--by', 'phase'),
    ]);
    expect(bySeller.code).toBe(0);
    const sellers = JSON.parse(bySeller.stdout) as {
      since: string;
      by: string;
      outcomes: Record<string, number>;
      total: number;
      groups: Record<string, { outcomes: Record<string, number>; total: number }>;
    };
    expect(sellers).toMatchObject({ by: 'seller', total: 3, outcomes: { solicited: 2, cancelled: 1, expired: 0 } });
    expect(Object.keys(sellers.groups)).toEqual([one, two]);
    expect(sellers.groups[one]).toMatchObject({ total: 2, outcomes: { solicited: 1, cancelled: 1, failed: 0 } });
    expect(sellers.groups[two]).toMatchObject({ total: 1, outcomes: { solicited: 1, cancelled: 0 } });

    expect(byMarketplace.code).toBe(0);
    const lines = byMarketplace.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ended since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(lines[1]).toMatch(/^MARKETPLACE +SOLICITED +ALREADY-SOLICITED +EXPIRED +CANCELLED +FAILED +DRY-RUN +TOTAL$/);
    expect(lines.slice(2).map((line) => line.split(/ +/))).toEqual([
      ['A2EUQ1WTGCTBG2', '1', '0', '0', '1', '0', '0', '2'],
      ['ATVPDKIKX0DER', '1', '0', '0', '0', '0', '0', '1'],
      ['total', '2', '0', '0', '1', '0', '0', '3'],
    ]);

    expect(phases.code).toBe(0);
    const byPhase = JSON.parse(phases.stdout) as {
      by: string;
      phases: Record<string, number>;
      total: number;
      groups: Record<string, { phases: Record<string, number>; total: number }>;
    };
    expect(byPhase).toMatchObject({ by: 'marketplace', total: 4, phases: { waiting: 1, solicited: 2, cancelled: 1 } });
    expect(byPhase.groups.ATVPDKIKX0DER).toMatchObject({ total: 2, phases: { waiting: 1, solicited: 1 } });
    expect(byPhase.groups.A2EUQ1WTGCTBG2).toMatchObject({ total: 2, phases: { solicited: 1, cancelled: 1 } });

    oneErrorLine(badGroup, 2, "solicit stats: --by must be marketplace or seller, got 'phase'");
  });
});
