import type { ReviewSolicitationWorkflow } from '../../../src/domain/contract';
import { reviewSolicitation } from '../../../src/workflows/review-solicitation';

// src/orders starts the workflow by the signature src/domain declares, without importing the workflow (the
// code map of docs/development.md): the typecheck of this assignment keeps the two the same.
it('has the signature the start path of src/orders uses', () => {
  const started: ReviewSolicitationWorkflow = reviewSolicitation;
  expect(started).toBe(reviewSolicitation);
});
