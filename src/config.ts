import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every setting of the service, read once from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` when a PostgreSQL server is used; undefined means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files, or `memory://` for a throwaway database. */
  dataDir: string;
  notifyApiKey: string | undefined;
  /** GOV.UK Notify: set when NOTIFY_API_KEY is (messages then go through Notify instead of the local outbox). */
  notify: NotifyConfig | undefined;
  /** Key material for sessions, field encryption and pseudonyms. */
  secret: string;
  /** Earlier secrets, still used to read values encrypted before a rotation (CARA_PREVIOUS_SECRETS, comma-separated). */
  previousSecrets: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Cookies are marked Secure (set when served behind HTTPS). */
  secureCookies: boolean;
  /** The address users reach the service at, used in links (set-up links, calendar feeds). */
  publicUrl: string;
  /** Days the police have to acknowledge a breach notice before it is chased (and again each time after). */
  breachChaseDays: number;
  /** How often the job runner looks for due tasks, in milliseconds (0 turns it off, as tests do). */
  jobIntervalMs: number;
  /** OpenID Connect sign-in (Microsoft Entra ID and similar); undefined when not configured. */
  oidc: OidcConfig | undefined;
}

/** An OpenID Connect identity provider and this service's client registration with it. */
export interface OidcConfig {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in page: "Sign in with …". */
  displayName: string;
  /** Where the provider sends users back: `<publicUrl>/sign-in/oidc/callback` (register it with the provider). */
  redirectUri: string;
}

/** GOV.UK Notify: the API key, where the API is, and the pass-through templates messages are sent with. */
export interface NotifyConfig {
  apiKey: string;
  /** NOTIFY_BASE_URL: the Notify API (a local fake in tests). */
  baseUrl: string;
  /** NOTIFY_SMS_TEMPLATE_ID: a Notify text message template whose whole content is `((body))`. */
  smsTemplateId: string;
  /** NOTIFY_EMAIL_TEMPLATE_ID: a Notify email template with subject `((subject))` and content `((body))`. */
  emailTemplateId: string;
}

/** A setting that is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoadConfigOptions {
  /** Demo mode generates a secret into the data directory when CARA_SECRET is unset. */
  demo?: boolean;
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const port = parsePort(env.PORT);
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  const dataDir = nonEmpty(env, 'CARA_DATA_DIR') ?? './data';
  const logLevel = parseLogLevel(env.LOG_LEVEL);
  const secureCookies = parseBoolean(env, 'CARA_SECURE_COOKIES', false);
  const publicUrl = parsePublicUrl(env.CARA_PUBLIC_URL, host, port);
  const secret = resolveSecret(env.CARA_SECRET, { demo: options.demo ?? false, dataDir, usesPglite: !databaseUrl });
  const oidc = parseOidc(env, publicUrl);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    notifyApiKey: nonEmpty(env, 'NOTIFY_API_KEY'),
    notify: parseNotify(env),
    secret,
    previousSecrets: (nonEmpty(env, 'CARA_PREVIOUS_SECRETS') ?? '').split(',').map((v) => v.trim()).filter(Boolean),
    logLevel,
    secureCookies,
    publicUrl,
    oidc,
    breachChaseDays: parseWhole(env, 'CARA_BREACH_CHASE_DAYS', 5, 1, 60),
    jobIntervalMs: parseWhole(env, 'CARA_JOB_INTERVAL_MS', 30_000, 0, 3_600_000),
  };
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a URL like postgres://user@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return value;
}

function parseWhole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

function parseLogLevel(value: string | undefined): Config['logLevel'] {
  if (value === undefined || value.trim() === '') return 'info';
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return level as Config['logLevel'];
}

function parseBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function parsePublicUrl(value: string | undefined, host: string, port: number): string {
  if (value === undefined || value.trim() === '') {
    const shownHost = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
    return `http://${shownHost}:${port}`;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.origin;
  } catch {
    throw new ConfigError('CARA_PUBLIC_URL', `must be an http(s) URL, got "${value}"`);
  }
}

const OIDC_REQUIRED = ['CARA_OIDC_ISSUER', 'CARA_OIDC_CLIENT_ID', 'CARA_OIDC_CLIENT_SECRET'] as const;

/** OpenID Connect settings: issuer, client id and secret all together, or none of them. */
function parseOidc(env: NodeJS.ProcessEnv, publicUrl: string): OidcConfig | undefined {
  const displayName = nonEmpty(env, 'CARA_OIDC_NAME');
  if (displayName === undefined && OIDC_REQUIRED.every((name) => nonEmpty(env, name) === undefined)) return undefined;
  const missing = OIDC_REQUIRED.find((name) => nonEmpty(env, name) === undefined);
  if (missing) {
    throw new ConfigError(missing, `is required for OpenID Connect sign-in: set all of ${OIDC_REQUIRED.join(', ')} (and optionally CARA_OIDC_NAME), or none of them`);
  }
  const issuerValue = nonEmpty(env, 'CARA_OIDC_ISSUER')!;
  let issuer: URL;
  try {
    issuer = new URL(issuerValue);
  } catch {
    throw new ConfigError('CARA_OIDC_ISSUER', `must be the issuer URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0, got "${issuerValue}"`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback)) {
    throw new ConfigError('CARA_OIDC_ISSUER', `must be an https:// URL (plain http only for localhost), got "${issuerValue}"`);
  }
  return {
    issuer: issuerValue,
    clientId: nonEmpty(env, 'CARA_OIDC_CLIENT_ID')!,
    clientSecret: nonEmpty(env, 'CARA_OIDC_CLIENT_SECRET')!,
    displayName: displayName ?? 'your organisation account',
    redirectUri: `${publicUrl}/sign-in/oidc/callback`,
  };
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NOTIFY_DEFAULT_URL = 'https://api.notifications.service.gov.uk';

/** GOV.UK Notify settings: the key with both template ids, or none of them (the local outbox). */
function parseNotify(env: NodeJS.ProcessEnv): NotifyConfig | undefined {
  const apiKey = nonEmpty(env, 'NOTIFY_API_KEY');
  if (apiKey === undefined) return undefined;
  // `{key name}-{service id}-{secret}`: the client reads the two UUIDs from the end.
  if (!new RegExp(`-${UUID}-${UUID}$`, 'i').test(apiKey)) throw new ConfigError('NOTIFY_API_KEY', 'must be a GOV.UK Notify API key: its name, then the service id and the secret key (two UUIDs)');
  const templateId = (name: string) => {
    const value = nonEmpty(env, name);
    if (value === undefined) throw new ConfigError(name, 'is required with NOTIFY_API_KEY: the id of the Notify template messages are sent with (see README, "Messages")');
    if (!new RegExp(`^${UUID}$`, 'i').test(value)) throw new ConfigError(name, `must be a Notify template id (a UUID), got "${value}"`);
    return value;
  };
  const baseUrl = nonEmpty(env, 'NOTIFY_BASE_URL') ?? NOTIFY_DEFAULT_URL;
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) throw new Error('protocol');
  } catch {
    throw new ConfigError('NOTIFY_BASE_URL', `must be an https:// URL (plain http only for localhost), got "${baseUrl}"`);
  }
  return { apiKey, baseUrl: baseUrl.replace(/\/$/, ''), smsTemplateId: templateId('NOTIFY_SMS_TEMPLATE_ID'), emailTemplateId: templateId('NOTIFY_EMAIL_TEMPLATE_ID') };
}

const MIN_SECRET_LENGTH = 32;

function resolveSecret(
  value: string | undefined,
  { demo, dataDir, usesPglite }: { demo: boolean; dataDir: string; usesPglite: boolean },
): string {
  if (value !== undefined && value.trim() !== '') {
    if (value.trim().length < MIN_SECRET_LENGTH) {
      throw new ConfigError('CARA_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -hex 32)`);
    }
    return value.trim();
  }
  if (!demo) {
    throw new ConfigError('CARA_SECRET', 'is required (try: openssl rand -hex 32); only `cara demo` generates one');
  }
  if (!usesPglite || dataDir.startsWith('memory://')) return randomBytes(32).toString('hex');
  // Demo on embedded PGlite: keep the secret beside the data so encrypted fields survive a restart.
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
