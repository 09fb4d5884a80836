import { describe, expect, it } from 'vitest';
import { fieldCipher } from './field-encryption.ts';

const SECRET = 'first-secret-0123456789abcdef0123456789';
const NEXT = 'second-secret-0123456789abcdef012345678';

describe('field encryption', () => {
  it('round-trips text, with a fresh IV each time so equal values do not look equal', () => {
    const cipher = fieldCipher(SECRET);
    const a = cipher.encrypt('07700900456');
    const b = cipher.encrypt('07700900456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('07700900456');
    expect(cipher.decrypt(a)).toBe('07700900456');
  });

  it('refuses a value that was tampered with', () => {
    const cipher = fieldCipher(SECRET);
    const stored = cipher.encrypt('mobile only, after 6pm');
    const parts = stored.split('.');
    parts[4] = Buffer.from('something else').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });

  it('cannot decrypt with another secret', () => {
    const stored = fieldCipher(SECRET).encrypt('secret');
    expect(() => fieldCipher(NEXT).decrypt(stored)).toThrow(/CARA_SECRET/);
  });

  it('after a rotation, reads old values with the previous secret and marks them for re-encryption', () => {
    const old = fieldCipher(SECRET).encrypt('victim phone');
    const rotated = fieldCipher(NEXT, [SECRET]);
    expect(rotated.decrypt(old)).toBe('victim phone');
    expect(rotated.needsRotation(old)).toBe(true);
    const again = rotated.encrypt(rotated.decrypt(old));
    expect(rotated.needsRotation(again)).toBe(false);
    expect(fieldCipher(NEXT).decrypt(again)).toBe('victim phone');
  });
});
