import { loadConfig, type Config } from '../../src/config.ts';

/** A valid configuration for tests: in-memory database, fixed secret, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ CARA_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', CARA_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', CARA_JOB_INTERVAL_MS: '0' }),
    ...overrides,
  };
}
