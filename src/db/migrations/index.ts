import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_security.ts';
import * as m0003 from './0003_referrals.ts';
import * as m0004 from './0004_scheduling.ts';
import * as m0005 from './0005_compliance.ts';
import * as m0006 from './0006_victim_support.ts';
import * as m0007 from './0007_messages.ts';

/** Every migration, in order. Add new ones here; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_security': m0002,
  '0003_referrals': m0003,
  '0004_scheduling': m0004,
  '0005_compliance': m0005,
  '0006_victim_support': m0006,
  '0007_messages': m0007,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
