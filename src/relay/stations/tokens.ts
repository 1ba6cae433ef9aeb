// Device tokens are stored only as SHA-256 hex digests and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A new device token: 32 random bytes, base64url. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal-length secrets compared without an early exit. Lengths leak nothing: both are digests. */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Finds the entry whose tokenSha256 matches `token`, looking at every entry whatever matches. */
export function findByToken<T extends { tokenSha256: string }>(entries: Iterable<T>, token: string): T | undefined {
  const presented = sha256Hex(token);
  let found: T | undefined;
  for (const entry of entries) {
    if (digestsEqual(entry.tokenSha256, presented) && !found) found = entry;
  }
  return found;
}

/** Compares a presented secret with the expected one in constant time (both hashed first). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  return digestsEqual(sha256Hex(presented ?? ''), sha256Hex(expected)) && presented !== undefined;
}
