import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new unguessable token (256 bits), safe for URLs and cookies. */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Tokens are high-entropy, so a plain SHA-256 is the right stored form (no slow hash needed). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
