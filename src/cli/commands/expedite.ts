import { expediteSignal } from '../../domain/contract';
import { defineCommand } from '../command';
import { queryOption, SIGNAL_ORDERS_LINE, signalOrders } from '../signal-orders';

export const command = defineCommand(
  {
    name: 'expedite',
    summary: 'checks one order now, or every running order a list filter matches',
    synopsis: ['<orderId>', '--query FILTER [--yes]'],
    description: `Sends the expedite signal: the order checks eligibility now, even before Amazon's window opens. If Amazon
offers the review request it is sent; if not, the order keeps waiting on its schedule.`,
    positionals: SIGNAL_ORDERS_LINE.positionals,
    options: {
      query: queryOption("SolicitationPhase = 'waiting' AND SolicitAfter < '2026-05-01T00:00:00Z'"),
      yes: SIGNAL_ORDERS_LINE.yes,
    },
    notes: SIGNAL_ORDERS_LINE.notes,
    exitCodes: SIGNAL_ORDERS_LINE.exitCodes,
    environment: SIGNAL_ORDERS_LINE.environment,
  },
  ({ options, positionals }) =>
    signalOrders(
      { positionals, query: options.query, yes: options.yes },
      { command: 'expedite', signal: expediteSignal, arg: {}, batchReason: 'solicit expedite: check eligibility now' },
    ),
);
