import type { Message } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { EVERY_MARKETPLACE, type MarketplacesServed } from '../config/marketplaces';
import type { SolicitationPolicy } from '../domain/contract';
import type { Logger } from '../logging';
import { readApplicationNotification, type ApplicationNotification } from './application-notification';
import { rejectionReason } from './input-rules';
import type { IngestMetrics } from './metrics';
import { parseOrderChangeNotification } from './notification';
import { WorkflowTypeConflictError } from '../errors';
import { applyOrderDecision, decideOrder } from './order';
import { temporalOutageReason, type TemporalAvailability } from './temporal-availability';

/** A Temporal call that takes longer fails; its message comes back after the queue's visibility timeout. */
const TEMPORAL_DEADLINE_MS = 15_000;

/** Where a notification's order goes: what the consumer is given and each message's handler uses. */
export interface OrderRouting {
  client: Client;
  taskQueue: string;
  /** The policy new orders are started with. */
  policy: SolicitationPolicy;
  /** The sellers served, from SPAPI_SELLERS_FILE; without it every seller on the queue is served. */
  sellerIds?: { has(sellerId: string): boolean };
  /** Which marketplaces are served for each seller; notifications for others are deleted unheeded. Default: all. */
  marketplaces?: MarketplacesServed;
  /**
   * What becomes of the app's client secret notices (rotation, storing the new secret). Without it they
   * are logged, the expiry sets the gauge, and they are deleted.
   */
  clientSecretRotation?: { handle(notice: ApplicationNotification, messageId: string | undefined): Promise<boolean> };
  logger: Logger;
}

export interface MessageHandlerOptions extends OrderRouting {
  metrics: IngestMetrics;
  availability: TemporalAvailability;
}

/** Handles one message; true when it may be deleted. Never throws. */
export function messageHandler(options: MessageHandlerOptions) {
  const { client, taskQueue, policy, sellerIds, logger, metrics, availability } = options;
  const marketplaces = options.marketplaces ?? EVERY_MARKETPLACE;
  return async (message: Message): Promise<boolean> => {
    const messageId = message.MessageId;
    const leave = (reason: string) => {
      const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 0);
      logger.warn('message left for the dead-letter queue', { messageId, receiveCount, reason });
      metrics.countMessage('dead-letter');
      return false;
    };

    const application = readApplicationNotification(message.Body);
    if (application) {
      if (options.clientSecretRotation) return options.clientSecretRotation.handle(application, messageId);
      handleApplicationNotification(application, { messageId, logger, metrics });
      return true;
    }
    const parsed = parseOrderChangeNotification(message.Body);
    if (!parsed.ok) return leave(parsed.reason);
    const order = parsed.notification.Payload.OrderChangeNotification;
    const { SellerId: sellerId, AmazonOrderId: amazonOrderId } = order;
    if (parsed.note) logger.warn(parsed.note, { messageId, amazonOrderId });
    const rejected = rejectionReason(parsed.notification);
    if (rejected) return leave(rejected);
    if (sellerIds && !sellerIds.has(sellerId)) return leave(`seller ${sellerId} is not in SPAPI_SELLERS_FILE`);
    const marketplaceId = order.Summary.MarketplaceId;
    // A marketplace left out on purpose: nothing to fix, so nothing for the dead-letter queue either.
    if (!marketplaces.serves(sellerId, marketplaceId)) {
      logger.info('notification ignored: marketplace not served', {
        messageId,
        amazonOrderId,
        sellerId,
        marketplaceId,
        orderStatus: order.Summary.OrderStatus,
        setting: marketplaces.setting,
      });
      metrics.countMessage('ignored');
      return true;
    }
    // Not received again before the visibility timeout: a message in hand during an outage costs one receive.
    if (!availability.available) return false;

    const decision = decideOrder(parsed.notification, policy);
    try {
      const outcome = await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
        applyOrderDecision(client, taskQueue, decision),
      );
      const fields = { messageId, amazonOrderId, orderStatus: order.Summary.OrderStatus, outcome };
      if (outcome === 'ignored') logger.debug('order handled', fields);
      else logger.info('order handled', fields);
      metrics.countMessage(outcome);
      return true;
    } catch (error) {
      if (error instanceof WorkflowTypeConflictError) {
        // Not the message's fault, and nothing ingest may fix: an operator decides, from the dead-letter queue.
        logger.warn('message left for the dead-letter queue', {
          messageId,
          amazonOrderId,
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
          reason: error.message,
        });
        metrics.countMessage('conflict');
        return false;
      }
      const outage = temporalOutageReason(error);
      if (outage !== undefined) {
        availability.reportOutage(outage);
        logger.debug('Temporal is out; the message returns after the visibility timeout', { messageId });
        return false;
      }
      logger.error('Temporal did not take the order; the message will be received again', {
        messageId,
        amazonOrderId,
        error,
      });
      return false;
    }
  };
}

function handleApplicationNotification(
  notification: ApplicationNotification,
  { messageId, logger, metrics }: { messageId: string | undefined; logger: Logger; metrics: IngestMetrics },
): void {
  switch (notification.type) {
    case 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY': {
      const expiresAt = notification.expiresAt?.toISOString() ?? 'an unstated time';
      if (notification.expiresAt) metrics.setClientSecretExpiry(notification.expiresAt);
      logger.error(`the LWA client secret expires at ${expiresAt}: rotate it before then`, {
        messageId,
        ...(notification.reason !== undefined && { expiryReason: notification.reason }),
      });
      return;
    }
    case 'APPLICATION_OAUTH_CLIENT_NEW_SECRET': {
      // Not stored here: the alert must fire before the old secret stops working.
      const old = notification.oldSecretExpiresAt;
      if (old) metrics.setClientSecretExpiry(old);
      logger.error(
        `a new client secret was issued but not stored (no writable secret store): store it by hand before the old one expires at ${
          old?.toISOString() ?? 'an unstated time'
        }`,
        { messageId },
      );
      return;
    }
  }
}
