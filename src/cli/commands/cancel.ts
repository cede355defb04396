import { parseArgs } from 'node:util';
import { cancelSignal, type CancelSignal } from '../../domain/contract';
import type { Command } from '../command';
import { SIGNAL_ORDERS_HELP, signalOrders } from '../signal-orders';

export const command: Command = {
  summary: 'cancels one order, or every running order a list filter matches',
  usage: `usage: solicit cancel <orderId> [--reason R]
       solicit cancel --query FILTER [--reason R] [--yes]

Sends the cancel signal: the order ends as cancelled without being solicited, with the reason in its
result and in the Web UI.

  --reason R      why, kept in the order's result (default: cancelled by an operator)
  --query FILTER  every running order a Temporal list filter matches, through a Temporal batch job,
                  e.g. "SolicitationPhase = 'waiting' AND AmazonSellerId = 'A2EXAMPLE'"; only running
                  reviewSolicitation workflows are touched, whatever the filter says
${SIGNAL_ORDERS_HELP}`,

  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { reason: { type: 'string' }, query: { type: 'string' }, yes: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    const reason = values.reason?.trim();
    const arg: CancelSignal = reason ? { reason } : {};
    return signalOrders(
      { positionals, query: values.query, yes: values.yes },
      {
        command: 'cancel',
        signal: cancelSignal,
        arg,
        batchReason: `solicit cancel: ${reason || 'cancelled by an operator'}`,
      },
    );
  },
};
