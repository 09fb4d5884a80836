import type { Db } from '../../db/database.ts';
import { appendAudit, verifyAuditChain, type Actor, type AuditVerification } from './audit-log.ts';
import { searchAuditLog, type AuditPage, type AuditQuery } from './search.ts';

/** Reading and checking the audit log. Reading it is itself recorded in it. */
export function auditService(db: Db, now: () => Date) {
  return {
    /** A page of entries an administrator of `viewer.areaIds` may see; the search is recorded first. */
    async search(query: AuditQuery, page: number, viewer: { actor: Actor; areaIds: readonly string[] }): Promise<AuditPage> {
      const terms = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
      await appendAudit(db, { actor: viewer.actor, action: 'search', recordType: 'audit_log', detail: { ...terms, page } }, now());
      return searchAuditLog(db, query, viewer.areaIds, page);
    },

    /** Walks the whole hash chain; reports the first entry that was changed, removed or inserted. */
    verify: (): Promise<AuditVerification> => verifyAuditChain(db),
  };
}

export type AuditService = ReturnType<typeof auditService>;
