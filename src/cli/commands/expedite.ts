import { parseArgs } from 'node:util';
import { expediteSignal } from '../../domain/contract';
import type { Command } from '../command';
import { SIGNAL_ORDERS_HELP, signalOrders } from '../signal-orders';

export const command: Command = {
  summary: 'checks one order now, or every running order a list filter matches',
  usage: `usage: solicit expedite <orderId>
       solicit expedite --query FILTER [--yes]

Sends the expedite signal: the order checks eligibility now, even before Amazon's window opens. If Amazon
offers the review request it is sent; if not, the order keeps waiting on its schedule.

  --query FILTER  every running order a Temporal list filter matches, through a Temporal batch job,
                  e.g. "SolicitationPhase = 'waiting' AND SolicitAfter < '2026-05-01T00:00:00Z'"; only
                  running reviewSolicitation workflows are touched, whatever the filter says
${SIGNAL_ORDERS_HELP}`,

  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { query: { type: 'string' }, yes: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    return signalOrders(
      { positionals, query: values.query, yes: values.yes },
      { command: 'expedite', signal: expediteSignal, arg: {}, batchReason: 'solicit expedite: check eligibility now' },
    );
  },
};
