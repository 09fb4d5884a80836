import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of single fields (victim contact details, second-factor secrets), with a
 * key derived from CARA_SECRET by HKDF. Stored form: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url),
 * where keyId names the secret that encrypted it, so a rotation can find and re-encrypt old values.
 */
export interface FieldCipher {
  readonly keyId: string;
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
  /** True when the value was encrypted with another key (it needs re-encrypting after a rotation). */
  needsRotation(stored: string): boolean;
}

function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'cara-field-encryption', purpose, 32));
}

function keyIdOf(secret: string): string {
  return deriveKey(secret, 'key-id').subarray(0, 6).toString('hex');
}

/** A cipher for `secret`; `previousSecrets` still decrypt values written before a rotation. */
export function fieldCipher(secret: string, previousSecrets: readonly string[] = []): FieldCipher {
  const keys = new Map<string, Buffer>();
  for (const s of [secret, ...previousSecrets]) keys.set(keyIdOf(s), deriveKey(s, 'aes-256-gcm'));
  const keyId = keyIdOf(secret);
  const current = keys.get(keyId)!;

  return {
    keyId,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(stored) {
      const [version, id, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !id || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('not an encrypted field value');
      }
      const key = keys.get(id);
      if (!key) throw new Error(`no key ${id} to decrypt this value: was CARA_SECRET changed without keeping the old one?`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
    needsRotation(stored) {
      return stored.split('.')[1] !== keyId;
    },
  };
}
