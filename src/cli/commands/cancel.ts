import { cancelSignal, type CancelSignal } from '../../domain/contract';
import { cancelReason, MAX_REASON_LENGTH } from '../../operator/cancel-reason';
import { defineCommand } from '../command';
import { queryOption, SIGNAL_ORDERS_LINE, signalOrders } from '../signal-orders';

export const command = defineCommand(
  {
    name: 'cancel',
    summary: 'cancels one order, or every running order a list filter matches',
    synopsis: ['<orderId> [--reason R]', '--query FILTER [--reason R] [--yes]'],
    description: `Sends the cancel signal: the order ends as cancelled without being solicited, with the reason in its
result and in the Web UI.`,
    positionals: SIGNAL_ORDERS_LINE.positionals,
    options: {
      reason: {
        type: 'string',
        value: 'R',
        description: `why, kept in the order's result: one line, at most ${MAX_REASON_LENGTH} characters
(default: cancelled by an operator)`,
      },
      query: queryOption("SolicitationPhase = 'waiting' AND AmazonSellerId = 'A2EXAMPLE'"),
      yes: SIGNAL_ORDERS_LINE.yes,
    },
    notes: SIGNAL_ORDERS_LINE.notes,
    exitCodes: SIGNAL_ORDERS_LINE.exitCodes,
    environment: SIGNAL_ORDERS_LINE.environment,
  },
  ({ options, positionals }) => {
    const reason = cancelReason(options.reason);
    const arg: CancelSignal = reason ? { reason } : {};
    return signalOrders(
      { positionals, query: options.query, yes: options.yes },
      {
        command: 'cancel',
        signal: cancelSignal,
        arg,
        batchReason: `solicit cancel: ${reason || 'cancelled by an operator'}`,
      },
    );
  },
);
