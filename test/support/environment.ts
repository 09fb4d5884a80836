import { existsSync } from 'node:fs';

/** Where Debian's Chromium lives; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** In CI nothing may be skipped: a missing browser or database fails the run instead. */
export const strict = process.env.CI === 'true' || process.env.CARA_TEST_STRICT === '1';

export interface Capability {
  available: boolean;
  /** Why the suites that need it are skipped, when it is missing. */
  reason: string;
}

export const browser: Capability = existsSync(chromiumPath)
  ? { available: true, reason: '' }
  : { available: false, reason: `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)` };

export const postgres: Capability = process.env.DATABASE_URL
  ? { available: true, reason: '' }
  : { available: false, reason: 'DATABASE_URL is not set (these need a real PostgreSQL server, e.g. DATABASE_URL=postgres://root@127.0.0.1:5432/test)' };
