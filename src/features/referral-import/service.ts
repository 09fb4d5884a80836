import { createHash } from 'node:crypto';
import type { EligibilityOutcome } from '../../domain/eligibility/types.ts';
import type { BatchProgress, BatchReferralErrors, ReferralService, ReferralSubmitter } from '../referrals/service.ts';
import { MAX_PROBLEMS_LISTED, readReferralCsv, rowToReferralBody, sortProblems, type ImportProblem, type MappedRow } from './csv-format.ts';

/** One referral stored by an import. */
export interface ImportedReferral {
  row: number;
  id: string;
  area: string;
  policeReference: string;
  status: string;
  outcome: EligibilityOutcome;
}

/** What an import stored: every referral, and how many of each eligibility outcome. */
export interface ImportSummary {
  referrals: ImportedReferral[];
  accepted: number;
  needsReview: number;
  ineligible: number;
}

/**
 * Either everything was stored, or nothing was and every problem is listed by row and column
 * (the first `MAX_PROBLEMS_LISTED` of them; `unlisted` counts the rest).
 */
export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; problems: ImportProblem[]; unlisted: number };

function refused(problems: readonly ImportProblem[]): ImportOutcome {
  const sorted = sortProblems(problems);
  return { ok: false, problems: sorted.slice(0, MAX_PROBLEMS_LISTED), unlisted: Math.max(0, sorted.length - MAX_PROBLEMS_LISTED) };
}

export interface ImportOptions {
  /** The file's name, recorded in the audit log. */
  fileName: string;
  /** How the file arrived, recorded in the audit log: e.g. `web upload`, `command line`. */
  channel: string;
  onProgress?: BatchProgress;
}

/**
 * Bulk referrals from a CSV file, all or nothing: every row becomes the body of
 * `POST /api/v1/referrals` and goes through the same checks and eligibility rules (the referral
 * service's batch methods). Every row is checked before anything is stored; then all are stored in
 * one transaction.
 */
export function referralImportService(referrals: Pick<ReferralService, 'checkBatch' | 'storeBatch'>) {
  return {
    async importCsv(content: Uint8Array | string, submitter: ReferralSubmitter, options: ImportOptions): Promise<ImportOutcome> {
      const read = readReferralCsv(content);
      if (!read.ok) return refused(read.problems);
      const mapped = read.rows.map((row) => ({ row: row.row, mapping: rowToReferralBody(row.cells) }));
      const rowOf = (index: number) => mapped[index]!.row;
      const problemsOf = (failed: readonly BatchReferralErrors[]): ImportProblem[] => failed.flatMap(({ index, errors }) => rowProblems(rowOf(index), mapped[index]!.mapping, errors));

      const checked = await referrals.checkBatch(
        mapped.map((m) => m.mapping.body),
        submitter,
        { describe: (index) => `row ${rowOf(index)}`, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
      );
      if (checked.kind === 'forbidden') return refused([{ row: null, column: null, message: 'Only police referrers and police managers can import referrals.' }]);
      const problems = [...read.problems, ...(checked.kind === 'invalid' ? problemsOf(checked.referrals) : [])];
      if (problems.length > 0 || checked.kind !== 'checked') return refused(problems);

      const stored = await referrals.storeBatch(checked.batch, {
        auditDetail: { fileName: options.fileName, sha256: createHash('sha256').update(content).digest('hex'), channel: options.channel },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      if (stored.kind === 'invalid') return refused(problemsOf(stored.referrals));
      const imported = stored.referrals.map((created, index) => ({
        row: rowOf(index),
        id: created.id,
        area: checked.batch.referrals[index]!.area.slug,
        policeReference: checked.batch.referrals[index]!.facts.policeReference,
        status: created.status,
        outcome: created.eligibility.outcome,
      }));
      const count = (outcome: EligibilityOutcome) => imported.filter((r) => r.outcome === outcome).length;
      return { ok: true, summary: { referrals: imported, accepted: count('eligible'), needsReview: count('needs_review'), ineligible: count('ineligible') } };
    },
  };
}

export type ReferralImportService = ReturnType<typeof referralImportService>;

function rowProblems(row: number, mapping: MappedRow, errors: Record<string, string>): ImportProblem[] {
  return Object.entries(errors).map(([field, message]) => ({ row, ...mapping.locate(field, message) }));
}

/** "3 referrals imported: 1 accepted, 1 needs review, 1 ineligible". */
export function describeSummary(summary: ImportSummary): string {
  const n = summary.referrals.length;
  return `${n} referral${n === 1 ? '' : 's'} imported: ${summary.accepted} accepted, ${summary.needsReview} needs review, ${summary.ineligible} ineligible`;
}
