/** An Amazon usage plan: `burst` calls at once, refilled at `ratePerSecond`. */
export interface RatePlan {
  ratePerSecond: number;
  burst: number;
}

/**
 * Amazon's token bucket for one seller and operation, mirrored on this side so that a call is made only
 * when Amazon would accept it. A 429 means someone else spent the tokens (another process, the same app
 * elsewhere): `empty` forgets what this side believed it had.
 */
export class Pacer {
  private tokens: number;
  private at: number;

  constructor(
    private readonly plan: RatePlan,
    private readonly now: () => number,
  ) {
    this.tokens = plan.burst;
    this.at = now();
  }

  /** Milliseconds until a call may be made; 0 when it may be made now. */
  delayMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.plan.ratePerSecond);
  }

  /** Spends a token: call only once `delayMs()` is 0. */
  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  empty(): void {
    this.refill();
    this.tokens = 0;
  }

  private refill(): void {
    const at = this.now();
    const elapsed = Math.max(0, at - this.at);
    this.tokens = Math.min(this.plan.burst, this.tokens + (elapsed * this.plan.ratePerSecond) / 1000);
    this.at = at;
  }
}
