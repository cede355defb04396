import { UsageError } from '../../../src/errors';
import { cancelReason } from '../../../src/operator/cancel-reason';

describe('cancelReason', () => {
  it('is the trimmed reason, or none when blank', () => {
    expect(cancelReason(undefined)).toBeUndefined();
    expect(cancelReason('   ')).toBeUndefined();
    expect(cancelReason('  customer asked us not to ')).toBe('customer asked us not to');
    expect(cancelReason('é'.repeat(500))).toBe('é'.repeat(500));
  });

  it.each([
    ['line one\nline two', '--reason must be one line of text'],
    ['tab\tseparated', '--reason must be one line of text'],
    ['x'.repeat(501), '--reason must be at most 500 characters, got 501'],
  ])('refuses %j', (reason, message) => {
    expect(() => cancelReason(reason)).toThrow(new UsageError(message));
  });
});
