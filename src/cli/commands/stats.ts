import { parseArgs } from 'node:util';
import { PHASES } from '../../domain/contract';
import { withOperatorClient } from '../../operator/connect';
import { table } from '../../operator/format';
import { countOrdersByPhase, listFilter } from '../../operator/visibility';
import type { Command } from '../command';
import { EXIT_OK } from '../exit-codes';

export const command: Command = {
  summary: 'count of orders per phase',
  usage: `usage: solicit stats [--query FILTER] [--json]

Counts orders per phase from Temporal's visibility store, running and closed (closed ones for as long as
the namespace retains them).

  --query FILTER  only orders a Temporal list filter matches, e.g. "AmazonMarketplaceId = 'ATVPDKIKX0DER'"
  --json          {"phases": {"waiting": N, ...}, "total": N}

exit codes: 0 counted; 1 Temporal unreachable; 2 bad filter or usage.
environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (also TEMPORAL_API_KEY, TEMPORAL_TLS_*, profiles)`,

  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { query: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const filter = listFilter(values.query);

    const phases = await withOperatorClient((client) => countOrdersByPhase(client, filter));
    const total = PHASES.reduce((sum, phase) => sum + phases[phase], 0);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ phases, total }, null, 2)}\n`);
    } else {
      const rows = [...PHASES.map((phase) => [phase, String(phases[phase])]), ['total', String(total)]];
      process.stdout.write(`${table(['PHASE', 'ORDERS'], rows)}\n`);
    }
    return EXIT_OK;
  },
};
