import type { Db } from '../../db/database.ts';
import type { FieldErrors } from '../../domain/result.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { userRepository } from '../users/repository.ts';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { sessionStore, type ActiveSession, type SessionMeta } from './sessions.ts';
import { accountKey, loginThrottle } from './throttle.ts';
import { newTotpSecret, totpEnrolment, verifyTotp } from './totp.ts';
import { tokenHash } from './tokens.ts';

export type PasswordSignIn =
  | { outcome: 'signed_in'; sessionToken: string; next: 'set_up_second_factor' | 'verify_second_factor' }
  | { outcome: 'refused'; errors: FieldErrors }
  | { outcome: 'throttled'; retryAfterSeconds: number };

export type SecondFactorCheck =
  | { outcome: 'verified'; sessionToken: string; returnTo: string | null }
  | { outcome: 'refused'; errors: FieldErrors }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/** The same words whatever was wrong, so nobody learns whether an account exists. */
export const WRONG_CREDENTIALS = 'Enter a correct email address and password';

const userActor = (user: { id: string; name: string; email: string; role: string }, ip: string): Actor => ({
  userId: user.id,
  label: `${user.name} <${user.email}> (${user.role})`,
  ip,
});

/** Sign-in with password and TOTP, second-factor set-up, set-up links and sign-out. */
export function authService(db: Db, cipher: FieldCipher, now: () => Date) {
  const users = userRepository(db);
  const sessions = sessionStore(db, now);
  const throttle = loginThrottle(db, now);

  async function finishSecondFactor(session: ActiveSession, meta: Omit<SessionMeta, 'secondFactorDone'>, action: string): Promise<SecondFactorCheck> {
    const token = await sessions.rotate(session, { ...meta, secondFactorDone: true, returnTo: null });
    await appendAudit(db, { actor: userActor(session.user, meta.ip), action, recordType: 'user', recordId: session.user.id }, now());
    return { outcome: 'verified', sessionToken: token, returnTo: session.returnTo };
  }

  return {
    sessions,

    /** Checks email and password (throttled); on success starts a session that still needs the second factor. */
    async signInWithPassword(input: { email: string; password: string }, meta: Omit<SessionMeta, 'secondFactorDone'>): Promise<PasswordSignIn> {
      const errors: FieldErrors = {};
      const email = input.email.trim();
      if (!email) errors.email = 'Enter your email address';
      if (!input.password) errors.password = 'Enter your password';
      if (Object.keys(errors).length > 0) return { outcome: 'refused', errors };

      const key = accountKey(email);
      const decision = await throttle.check(key, meta.ip);
      if (!decision.allowed) return { outcome: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };

      const user = await users.findByEmail(email);
      const credentials = user ? await users.credentials(user.id) : undefined;
      const storedHash = credentials?.password_hash ?? (await decoyPasswordHash());
      const passwordMatches = await verifyPassword(storedHash, input.password);
      if (!user || !credentials?.password_hash || !passwordMatches || credentials.disabled_at !== null) {
        await throttle.record(key, meta.ip, false);
        return { outcome: 'refused', errors: { email: WRONG_CREDENTIALS } };
      }
      await throttle.record(key, meta.ip, true);
      const sessionToken = await sessions.create(user.id, { ...meta, secondFactorDone: false });
      return { outcome: 'signed_in', sessionToken, next: user.secondFactorConfirmed ? 'verify_second_factor' : 'set_up_second_factor' };
    },

    /** The secret a user is setting up (made once, kept encrypted until confirmed), with its QR code. */
    async secondFactorEnrolment(session: ActiveSession) {
      const credentials = await users.credentials(session.user.id);
      let secret = credentials?.totp_secret ? cipher.decrypt(credentials.totp_secret) : undefined;
      if (!secret) {
        secret = newTotpSecret();
        await users.update(session.user.id, { totp_secret: cipher.encrypt(secret), totp_confirmed_at: null, totp_last_step: null });
      }
      return totpEnrolment(secret, session.user.email);
    },

    /** Confirms a new second factor with a code from the app, or checks the code of an existing one. */
    async checkSecondFactor(session: ActiveSession, code: string, meta: Omit<SessionMeta, 'secondFactorDone'>): Promise<SecondFactorCheck> {
      if (!code.trim()) return { outcome: 'refused', errors: { code: 'Enter the 6-digit code from your authenticator app' } };
      const key = `totp:${session.user.id}`;
      const decision = await throttle.check(key, meta.ip, 5);
      if (!decision.allowed) return { outcome: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };
      const credentials = await users.credentials(session.user.id);
      if (!credentials?.totp_secret) return { outcome: 'refused', errors: { code: 'Set up your authenticator app first' } };
      const step = verifyTotp(cipher.decrypt(credentials.totp_secret), code, now(), credentials.totp_last_step === null ? null : Number(credentials.totp_last_step));
      if (step === undefined) {
        await throttle.record(key, meta.ip, false);
        return { outcome: 'refused', errors: { code: 'The code is not right: enter the current 6-digit code from your authenticator app' } };
      }
      await throttle.record(key, meta.ip, true);
      const settingUp = credentials.totp_confirmed_at === null;
      await users.update(session.user.id, { totp_last_step: step, ...(settingUp ? { totp_confirmed_at: now() } : {}) });
      if (settingUp) {
        await appendAudit(db, { actor: userActor(session.user, meta.ip), action: 'set_up_second_factor', recordType: 'user', recordId: session.user.id, fields: ['totp_secret'] }, now());
      }
      return finishSecondFactor(session, meta, 'sign_in');
    },

    async signOut(session: ActiveSession, ip: string): Promise<void> {
      await sessions.destroy(session.idHash);
      await appendAudit(db, { actor: userActor(session.user, ip), action: 'sign_out', recordType: 'user', recordId: session.user.id }, now());
    },

    async signOutEverywhere(session: ActiveSession, ip: string): Promise<number> {
      const count = await sessions.destroyAllFor(session.user.id);
      await appendAudit(db, { actor: userActor(session.user, ip), action: 'sign_out_everywhere', recordType: 'user', recordId: session.user.id, detail: { sessions: count } }, now());
      return count;
    },

    /** The user a set-up link belongs to, when it is unused and unexpired. */
    async setupLinkUser(token: string): Promise<{ id: string; email: string; name: string } | undefined> {
      const row = await db
        .selectFrom('user_setup_tokens')
        .innerJoin('users', 'users.id', 'user_setup_tokens.user_id')
        .select(['users.id', 'users.email', 'users.name'])
        .where('user_setup_tokens.token_hash', '=', tokenHash(token))
        .where('user_setup_tokens.used_at', 'is', null)
        .where('user_setup_tokens.expires_at', '>', now())
        .where('users.disabled_at', 'is', null)
        .executeTakeFirst();
      return row;
    },

    /** Sets the password through a set-up link and uses the link up. */
    async completeSetup(token: string, password: string, confirmation: string, ip: string): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const user = await this.setupLinkUser(token);
      if (!user) return { ok: false, errors: { password: 'This set-up link has expired or has been used. Ask an administrator for a new one.' } };
      const problem = passwordProblem(password, { email: user.email });
      if (problem) return { ok: false, errors: { password: `Your password ${problem}` } };
      if (password !== confirmation) return { ok: false, errors: { confirmPassword: 'The passwords do not match' } };
      const hash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('user_setup_tokens').set({ used_at: now() }).where('token_hash', '=', tokenHash(token)).execute();
        await trx.updateTable('users').set({ password_hash: hash, updated_at: now() }).where('id', '=', user.id).execute();
        await appendAudit(trx, { actor: { userId: user.id, label: `${user.name} <${user.email}> (set-up link)`, ip }, action: 'set_password', recordType: 'user', recordId: user.id, fields: ['password'] }, now());
      });
      return { ok: true };
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
