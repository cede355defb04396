/**
 * `npm run bench`: the product's figures on this machine (docs/benchmarks.md says what each one means). Prints
 * progress and tables first, then every figure as a `name: value` line. Exits 1 if a section failed or an
 * acceptance figure is off (a solicitation outside its window, a duplicate).
 *
 *   npm run bench [-- --only ingest|month|memory|sellers|reconcile|scale ...] [--reconcile-sellers N]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Cleanup } from './cleanup';
import { checksInBusiestSecond } from './herd';
import { policyFromEnv } from '../src/config/policy';
import { ingestThroughput } from './ingest-throughput';
import { MONTH } from './month-orders';
import { scale, type ScaleOptions } from './scale';
import { reconcileAtScale } from './reconcile';
import { NOTIFICATIONS_PER_ORDER as NOTIFICATIONS } from './simulated-month';
import { sellersPacing } from './sellers';
import { startDevServer, startSqsServer } from './servers';
import { simulatedMonth } from './simulated-month';
import { round, table } from './stats';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../src/config/settings';
import type { AmazonWindowRule } from './month-orders';
import { workerMemory } from './worker-memory';

const SECTIONS = ['ingest', 'month', 'memory', 'sellers', 'reconcile', 'scale'] as const;
type Section = (typeof SECTIONS)[number];

const INGEST_NOTIFICATIONS = 2000;
const MONTH_SEED = 20260301;
/** A 50,000-orders-a-day seller's marketplace day, a tenth of it: orders whose dates are the same. */
const HERD_ORDERS = 5000;
/** The policy `solicit ingest` gives new orders with no SOLICIT_* variable set. */
const NEW_ORDERS_POLICY = policyFromEnv({});
const MEMORY_SIZES = [1000, 5000, 10_000];
const SELLERS = {
  sellers: 50,
  ordersPerSeller: 8,
  workers: 2,
  backlogOrders: 200,
  leadMs: 15_000,
  leadMsPerOrder: 250,
};

/**
 * Agency scale, cut to what a shared 2-core machine starts in minutes (about 65 workflow starts a second):
 * the memory pair at 5k and 15k waiting orders rather than 10k and 30k (the same ratio), and `stats` over
 * the orders the section leaves, about 19k of which 10 % blocked, rather than 100k.
 */
const SCALE: ScaleOptions = {
  sellers: 1000,
  ordersPerSeller: 2,
  workers: 2,
  fileSellers: 10_000,
  lwaDelayMs: 50,
  memorySizes: [5000, 15_000],
  blockedShare: 0.1,
  blockedSellers: 300,
};
/** 1,000 sellers by default; `--reconcile-sellers N` runs it smaller on a busy machine (the figure's name stays). */
const RECONCILE = { sellers: 1000, ordersPerSeller: 5 };

type Figures = Record<string, number>;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const only = sectionsToRun();
  // The SDK's own progress lines (bundling, worker states) would bury the bench's; its errors still show.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const began = Date.now();
  say(`review-solicitations bench, ${new Date().toISOString()}`);
  say(machine());
  say('');

  const figures: Figures[] = [];
  const failed: string[] = [];
  for (const section of only) {
    const cleanup = new Cleanup();
    const stopOnSignal = () => void cleanup.run().then(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    const sectionBegan = Date.now();
    try {
      figures.push(await RUNS[section](cleanup));
    } catch (error) {
      failed.push(section);
      say(`${section} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      await cleanup.run();
      process.off('SIGINT', stopOnSignal);
      process.off('SIGTERM', stopOnSignal);
    }
    say(`(${section}: ${seconds(sectionBegan)} s)`);
    say('');
  }

  say(`total: ${seconds(began)} s; ${machine()}`);
  say('');
  const all: Figures = Object.assign({}, ...figures);
  for (const [name, value] of Object.entries(all)) say(`${name}: ${value}`);
  const broken = [
    'solicitations_outside_window',
    'duplicate_solicitations',
    'solicitations_outside_window_promised',
    'duplicate_solicitations_promised',
  ].filter((name) => (all[name] ?? 0) !== 0);
  if (failed.length > 0) say(`failed sections: ${failed.join(', ')}`);
  if (broken.length > 0) say(`not zero: ${broken.join(', ')}`);
  return failed.length > 0 || broken.length > 0 ? 1 : 0;
}

const RUNS: Record<Section, (cleanup: Cleanup) => Promise<Figures>> = {
  async ingest(cleanup) {
    say(`== Ingest throughput: ${INGEST_NOTIFICATIONS} queued notifications, Temporal dev server`);
    const temporal = await startDevServer(cleanup);
    const sqs = await startSqsServer(cleanup);
    const report = await ingestThroughput(temporal, sqs, cleanup, INGEST_NOTIFICATIONS, say);
    say(
      table(
        ['path', 'workflows', 'seconds', 'per second'],
        report.rows.map((row) => [row.path, row.workflows, row.seconds, row.perSecond]),
      ),
    );
    return report.figures;
  },

  async month(cleanup) {
    const actual = await oneMonth(cleanup, 'actual');
    // A fresh server and simulator for the second month, so that neither month's calls count in the other.
    await cleanup.run();
    const promised = await oneMonth(cleanup, 'promised');
    const { spread, ...unspread } = NEW_ORDERS_POLICY;
    const herd = {
      checks_in_busiest_second: checksInBusiestSecond(HERD_ORDERS, NEW_ORDERS_POLICY, MONTH_SEED),
      checks_in_busiest_second_without_spread: checksInBusiestSecond(HERD_ORDERS, unspread, MONTH_SEED),
    };
    say(
      `${HERD_ORDERS} orders with the same delivery dates: at most ${herd.checks_in_busiest_second} checks due in ` +
        `one second with SOLICIT_SPREAD=${String(spread)}, ${herd.checks_in_busiest_second_without_spread} without`,
    );
    return {
      ...actual,
      ...Object.fromEntries(Object.entries(promised).map(([name, value]) => [`${name}_promised`, value])),
      ...herd,
    };
  },

  async memory(cleanup) {
    say(`== Worker memory: one solicit worker process, orders waiting for windows a year away`);
    const servers = await startDevServer(cleanup);
    const report = await workerMemory(servers, cleanup, MEMORY_SIZES, say);
    say(`idle worker: ${report.idleMb} MiB`);
    say(
      table(
        ['waiting orders', 'RSS MiB', 'peak MiB', 'seconds to get there'],
        report.rows.map((row) => [row.waiting, row.rssMb, row.peakMb, row.seconds]),
      ),
    );
    const rss = (waiting: number) => report.rows.find((row) => row.waiting === waiting)?.rssMb ?? Number.NaN;
    return {
      worker_rss_mb_1k: rss(1000),
      worker_rss_mb_5k: rss(5000),
      worker_rss_mb_10k: rss(10_000),
      // 1,000 waiting orders fill the default cache: what each cached workflow adds to the idle worker.
      worker_rss_mib_per_cached_workflow: round((rss(1000) - report.idleMb) / DEFAULT_MAX_CACHED_WORKFLOWS, 3),
    };
  },

  async sellers(cleanup) {
    say(
      `== SP-API pacing per seller: ${SELLERS.sellers} sellers x ${SELLERS.ordersPerSeller} orders opening at once, ` +
        `${SELLERS.workers} worker processes, Amazon's plan (1 request/s, burst 5, per seller and operation)`,
    );
    const servers = await startDevServer(cleanup);
    const report = await sellersPacing(servers, cleanup, SELLERS, say);
    say(
      table(
        ['phase', 'orders', 'calls', 'seconds', 'per second'],
        report.rows.map((row) => [row.phase, row.orders, row.calls, row.seconds, row.perSecond]),
      ),
    );
    return report.figures;
  },

  async reconcile(cleanup) {
    const sellers = options().reconcileSellers ?? RECONCILE.sellers;
    say(
      `== Reconciliation: ${sellers} sellers across NA, EU and FE, ${RECONCILE.ordersPerSeller} shipped orders each, ` +
        "one without a workflow; the simulator's searchOrders raised to 1,000 requests/s, no server pacing",
    );
    const servers = await startDevServer(cleanup);
    const report = await reconcileAtScale(servers, cleanup, { ...RECONCILE, sellers }, say);
    say(
      'one sweep of a 50,000-orders-a-day seller at searchOrders 0.0056 requests/s (25 h of orders a day: the ' +
        `interval and the hour of overlap; by calculation): ${report.reconcile_sweep_hours_50k_per_day} h`,
    );
    return { ...report, reconcile_sellers: sellers };
  },

  async scale(cleanup) {
    say(
      `== Agency scale: ${SCALE.sellers} sellers x ${SCALE.ordersPerSeller} orders opening at once, a worker ` +
        `starting with ${SCALE.fileSellers} sellers, worker memory at ${SCALE.memorySizes.join(' and ')} waiting ` +
        `orders, solicit stats with ${SCALE.blockedShare * 100} % of the orders blocked`,
    );
    say(
      `# scaled down for this machine: worker_rss_mb_15k against worker_rss_mb_5k_of_pair stands for 30k against ` +
        `10k, and stats_*_<N>k_orders for 100k orders`,
    );
    const servers = await startDevServer(cleanup);
    return scale(servers, cleanup, SCALE, say);
  },
};

async function oneMonth(cleanup: Cleanup, rule: AmazonWindowRule): Promise<Figures> {
  const follows = rule === 'actual' ? 'actual delivery' : 'the promised dates';
  say(
    `== A simulated month: ${MONTH.orders} orders (${MONTH.neverOfferedShare * 100} % never offered) and a day of ` +
      `${MONTH.herd.orders} with the same dates, ${NOTIFICATIONS} notifications each, Amazon's window following ` +
      `${follows}, time-skipping server, SP-API simulator (seed ${MONTH_SEED})`,
  );
  const report = await simulatedMonth(
    { shape: MONTH, seed: MONTH_SEED, stepMs: 6 * 60 * 60 * 1000, progress: say, rule },
    cleanup,
  );
  say(
    `${report.simulatedDays} simulated days in ${Math.round(report.wallSeconds)} s; ` +
      `${report.eligibleOrders} orders had their real window open for a day or more`,
  );
  say(
    table(
      ['channel', 'orders', 'solicited', 'eligibility checks p50', 'hours after window opened p50'],
      report.byChannel.map((row) => [row.channel, row.orders, row.solicited, row.checksP50, row.delayHoursP50]),
    ),
  );
  say(table(['outcome', 'orders'], Object.entries(report.outcomes)));
  say(table(['repeated notification', 'handled as'], Object.entries(report.repeats)));
  say(
    `SP-API: ${report.spApi.requests} requests (${report.spApi.throttled} answered 429), ` +
      `${report.spApi.tokenRequests} LWA token requests`,
  );
  return report.figures;
}

function options(): { only?: string[]; reconcileSellers?: number } {
  const { values } = parseArgs({
    options: { only: { type: 'string', multiple: true }, 'reconcile-sellers': { type: 'string' } },
    strict: true,
  });
  const sellers = values['reconcile-sellers'];
  if (sellers !== undefined && !/^[1-9]\d*$/.test(sellers))
    throw new Error('--reconcile-sellers must be a whole number');
  return {
    ...(values.only && { only: values.only }),
    ...(sellers !== undefined && { reconcileSellers: Number(sellers) }),
  };
}

function sectionsToRun(): Section[] {
  const values = options();
  const unknown = (values.only ?? []).filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
  return values.only ? SECTIONS.filter((section) => values.only!.includes(section)) : [...SECTIONS];
}

function machine(): string {
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${load}`;
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
