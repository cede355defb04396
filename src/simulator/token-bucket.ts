/** Amazon's usage plan: `ratePerSecond` tokens refill a bucket of `burst`; a request takes one or gets 429. */
export interface UsagePlan {
  ratePerSecond: number;
  burst: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  take(key: string, plan: UsagePlan, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: plan.burst, at: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.at);
    const tokens = Math.min(plan.burst, bucket.tokens + (elapsed * plan.ratePerSecond) / 1000);
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: nowMs });
    return allowed;
  }
}
