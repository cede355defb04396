export {
  startSpApiSimulator,
  SIMULATOR_CLIENT_ID,
  SIMULATOR_CLIENT_SECRET,
  SIMULATOR_REFRESH_TOKEN,
  SIMULATOR_SELLER_ID,
  type SpApiSimulator,
  type SpApiSimulatorOptions,
} from './server';
export type { ApplicationQueue, RecordedConsent } from './application';
export type {
  FulfillmentStatus,
  RecordedRequest,
  RecordedSolicitation,
  RecordedTokenRequest,
  SimulatedDestination,
  SimulatedOperation,
  SimulatedOrder,
  SimulatedOrderInput,
  SimulatedSubscription,
} from './state';
export type { UsagePlan } from './token-bucket';
