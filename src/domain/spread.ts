/**
 * The spread of scheduled checks (docs/spec.md "Spread"): each order's checks are shifted by a stable offset
 * in [0, spread) derived from its order ID, so that orders whose dates fall on the same day boundary do not
 * all wake in the same second. Sandbox-safe: pure arithmetic on the ID, no clock, no Node built-ins.
 */

/** The order's offset in milliseconds, in [0, spreadMs); 0 without a spread. The same for every replay. */
export function spreadOffsetMs(amazonOrderId: string, spreadMs: number): number {
  if (!(spreadMs >= 1)) return 0;
  // Two 32-bit hashes make a 53-bit fraction, so that spreads of days keep millisecond resolution.
  const high = mix(fnv1a(amazonOrderId, 0x811c9dc5)) >>> 11;
  const low = mix(fnv1a(amazonOrderId, 0x050c5d1f));
  const fraction = (high * 2 ** 32 + low) / 2 ** 53;
  return Math.floor(fraction * Math.floor(spreadMs));
}

/**
 * A scheduled check moved later by the offset, never past `lastCallAt` (the last instant a call may begin);
 * a check already past it stays where it was, and the order expires there.
 */
export function spreadCheckAt(at: number, offsetMs: number, lastCallAt: number): number {
  if (at >= lastCallAt) return at;
  return Math.min(at + offsetMs, lastCallAt);
}

/** 32-bit FNV-1a over the string's UTF-16 code units. */
function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** MurmurHash3's finalizer: FNV-1a alone leaves IDs that differ in their last digit close together. */
function mix(hash: number): number {
  let h = hash >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
