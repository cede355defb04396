import { FAIRNESS_KEY_MAX_BYTES, sellerFairnessKey } from '../../../src/domain/fairness-key';

const LONGEST_OPERATION = 'createProductReviewAndSellerFeedbackSolicitation';

describe('sellerFairnessKey', () => {
  it('is <sellerId>:<operation> for an Amazon seller ID', () => {
    expect(sellerFairnessKey('A2EXAMPLE1SELL', LONGEST_OPERATION)).toBe(`A2EXAMPLE1SELL:${LONGEST_OPERATION}`);
    expect(sellerFairnessKey('A2EXAMPLE1SELL')).toBe('A2EXAMPLE1SELL');
  });

  it('stays within the server limit for a seller ID too long to fit, one key per seller and operation', () => {
    const long = 'seller-with-a-rather-long-identifier';
    const key = sellerFairnessKey(long, LONGEST_OPERATION);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(FAIRNESS_KEY_MAX_BYTES);
    expect(key).toMatch(new RegExp(`^~[0-9a-f]{12}:${LONGEST_OPERATION}$`));
    expect(sellerFairnessKey(long, LONGEST_OPERATION)).toBe(key);
    expect(sellerFairnessKey(`${long}-2`, LONGEST_OPERATION)).not.toBe(key);
    expect(sellerFairnessKey(long, 'getSolicitationActionsForOrder')).not.toBe(key);
  });

  it('counts bytes, not characters', () => {
    const accented = 'é'.repeat(40);
    expect(sellerFairnessKey(accented)).toMatch(/^~[0-9a-f]{12}$/);
    expect(sellerFairnessKey('é'.repeat(32))).toBe('é'.repeat(32));
  });
});
