import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a'.repeat(40);

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({ CARA_SECRET: SECRET });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, dataDir: './data', notifyApiKey: undefined });
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x@y/z' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['CARA_SECRET', { CARA_SECRET: 'short' }],
    ['CARA_SECURE_COOKIES', { CARA_SECURE_COOKIES: 'maybe' }],
    ['CARA_PUBLIC_URL', { CARA_PUBLIC_URL: 'ftp://example' }],
  ])('refuses a bad %s and names it', (variable, env) => {
    const error = errorOf(() => loadConfig({ CARA_SECRET: SECRET, ...env }));
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('requires CARA_SECRET outside demo mode', () => {
    expect(errorOf(() => loadConfig({})).variable).toBe('CARA_SECRET');
  });

  it('generates a demo secret into the data directory and keeps it across restarts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cara-config-'));
    try {
      const first = loadConfig({ CARA_DATA_DIR: dir }, { demo: true });
      const second = loadConfig({ CARA_DATA_DIR: dir }, { demo: true });
      expect(first.secret).toHaveLength(64);
      expect(second.secret).toBe(first.secret);
      expect(readFileSync(path.join(dir, 'secret'), 'utf8').trim()).toBe(first.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts a PostgreSQL URL', () => {
    expect(loadConfig({ CARA_SECRET: SECRET, DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' }).databaseUrl).toBe(
      'postgres://root@127.0.0.1:5432/test',
    );
  });
});
