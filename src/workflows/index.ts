// The worker's workflowsPath: workflow functions only, since every export here is registered as one.
export { reviewSolicitation } from './review-solicitation';
export { reconcileOrders } from '../reconcile/workflow/reconcile-orders';
export { reconcileSeller } from '../reconcile/workflow/reconcile-seller';
