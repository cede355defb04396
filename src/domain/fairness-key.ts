/**
 * Temporal fairness keys (docs/spec.md, "SP-API pacing"): `<sellerId>:<operation>` for SP-API activities and the
 * seller ID for workflow tasks. The server refuses a key longer than 64 bytes, and a refused key fails every
 * workflow task of the order, so a seller ID too long to fit is replaced by a stable digest of itself: still
 * one key per seller and operation. Amazon's seller IDs (about 14 characters) fit as they are.
 * Sandbox-safe: pure string arithmetic, no Node built-ins.
 */
export const FAIRNESS_KEY_MAX_BYTES = 64;

export function sellerFairnessKey(sellerId: string, operation?: string): string {
  const suffix = operation === undefined ? '' : `:${operation}`;
  const key = `${sellerId}${suffix}`;
  if (utf8Length(key) <= FAIRNESS_KEY_MAX_BYTES) return key;
  return `~${digest(sellerId)}${suffix}`;
}

/**
 * 64-bit FNV-1a cut to 12 hex digits (48 bits), so that `~<digest>:<longest operation>` fits: sellers whose
 * digests collide would only share a rate limit.
 */
function digest(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of utf8Bytes(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (hash >> 16n).toString(16).padStart(12, '0');
}

function utf8Length(text: string): number {
  return utf8Bytes(text).length;
}

/** By hand, since the workflow sandbox is not promised a `TextEncoder`. */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else {
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
  }
  return bytes;
}
