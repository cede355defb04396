/**
 * Amazon's ORDER_CHANGE notification as Amazon sends it (OrderChangeNotification.json), for the demo of
 * `solicit dev` and for the tests: complete documents that validate against Amazon's JSON Schema.
 */
export type OrderStatus = 'Pending' | 'Unshipped' | 'PartiallyShipped' | 'Shipped' | 'Canceled' | 'Unfulfillable';

export interface OrderChange {
  amazonOrderId: string;
  sellerId: string;
  marketplaceId: string;
  orderStatus: OrderStatus;
  fulfillmentType: 'MFN' | 'AFN';
  purchasedAt: string;
  /** When Amazon published the notification. */
  eventTime: string;
  timeOfOrderChange: string | null;
  /** Seller-fulfilled orders carry them; FBA orders do not. */
  deliveryDates?: { earliest: string; latest: string };
  orderItemId: string;
  sellerSku: string;
  quantity: number;
  applicationId: string;
  subscriptionId: string;
}

/** Amazon's document, typed loosely enough for tests to break it. */
export interface OrderChangeDocument {
  NotificationVersion: string;
  NotificationType: string;
  PayloadVersion: string;
  EventTime: string;
  Payload: {
    OrderChangeNotification: {
      NotificationLevel: string;
      SellerId: string;
      AmazonOrderId: string;
      OrderChangeType: string;
      OrderChangeTrigger?: { TimeOfOrderChange: string | null; ChangeReason: string };
      Summary: Record<string, unknown> & { OrderStatus: string; OrderItems?: unknown[] };
    };
  };
  NotificationMetadata?: Record<string, string>;
}

const HOUR_MS = 60 * 60 * 1000;

export function orderChangeDocument(change: OrderChange): OrderChangeDocument {
  const shipped = change.orderStatus === 'Shipped';
  const purchased = Date.parse(change.purchasedAt);
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ORDER_CHANGE',
    PayloadVersion: '1.0',
    EventTime: change.eventTime,
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: 'OrderLevel',
        SellerId: change.sellerId,
        AmazonOrderId: change.amazonOrderId,
        OrderChangeType: 'OrderStatusChange',
        OrderChangeTrigger: { TimeOfOrderChange: change.timeOfOrderChange, ChangeReason: 'Order status changed' },
        Summary: {
          MarketplaceId: change.marketplaceId,
          OrderStatus: change.orderStatus,
          PurchaseDate: change.purchasedAt,
          DestinationPostalCode: '98109',
          FulfillmentType: change.fulfillmentType,
          OrderType: 'StandardOrder',
          NumberOfItemsShipped: shipped ? change.quantity : 0,
          NumberOfItemsUnshipped: shipped ? 0 : change.quantity,
          ...(change.deliveryDates && {
            EarliestDeliveryDate: change.deliveryDates.earliest,
            LatestDeliveryDate: change.deliveryDates.latest,
          }),
          EarliestShipDate: change.purchasedAt,
          LatestShipDate: new Date(purchased + 47 * HOUR_MS).toISOString(),
          OrderItems: [
            {
              OrderItemId: change.orderItemId,
              SellerSKU: change.sellerSku,
              SupplySourceId: null,
              OrderItemStatus: shipped ? 'Shipped' : 'Unshipped',
              Quantity: change.quantity,
              QuantityShipped: shipped ? change.quantity : 0,
            },
          ],
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: change.applicationId,
      SubscriptionId: change.subscriptionId,
      PublishTime: change.eventTime,
      NotificationId: `${change.amazonOrderId}-${change.orderStatus}`,
    },
  };
}
