import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'CARA case manager';
const PERIOD_SECONDS = 30;

/** A new random TOTP secret (160 bits, base32) for a user setting up their second factor. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The otpauth:// address an authenticator app reads, and the same as a QR code (inline SVG). */
export async function totpEnrolment(secret: string, email: string): Promise<{ uri: string; qrSvg: string; manualKey: string }> {
  const uri = totpFor(secret, email).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { uri, qrSvg, manualKey: secret.replace(/(.{4})/g, '$1 ').trim() };
}

/**
 * Checks a 6-digit code, allowing one step of clock drift either way. Returns the time-step the code
 * belongs to, so the caller can refuse the same code twice, or undefined when it is wrong.
 */
export function verifyTotp(secret: string, code: string, now: Date, lastUsedStep: number | null): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secret, 'x').validate({ token, window: 1, timestamp: now.getTime() });
  if (delta === null) return undefined;
  const step = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return undefined;
  return step;
}

/** The current code for a secret (tests and the demo use this; users use their app). */
export function currentTotp(secret: string, now: Date = new Date()): string {
  return totpFor(secret, 'x').generate({ timestamp: now.getTime() });
}
