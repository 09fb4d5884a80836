import { statusLabel, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { ErrorSummaryItem } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { MAX_OFFENCES, REFERRAL_COLUMNS, type ImportProblem } from './csv-format.ts';
import type { ImportSummary } from './service.ts';

type TableCell = { text: string } | { html: string };

/** Where the error summary sends the user for problems inside the file. */
export const PROBLEMS_ID = 'import-problems';

export interface ImportFormView {
  pageTitle: string;
  errorList: ErrorSummaryItem[];
  /** A problem with the upload itself (no file, not a CSV, too large), shown beside the file input. */
  fileError: string | undefined;
  fileName: string | undefined;
  problemCount: number;
  /** Problems beyond those listed in the table. */
  unlisted: number;
  problemRows: TableCell[][];
  requiredColumns: string;
  optionalColumns: string;
  maxOffences: number;
  problemsId: string;
}

/** The upload page: empty, with a problem with the upload, or with the problems found in the file. */
export function importFormView(input: { fileError?: string; fileName?: string; problems?: readonly ImportProblem[]; unlisted?: number }): ImportFormView {
  const problems = input.problems ?? [];
  const problemCount = problems.length + (input.unlisted ?? 0);
  const errorList: ErrorSummaryItem[] = [];
  if (input.fileError) errorList.push({ text: input.fileError, href: '#file' });
  if (problemCount > 0) errorList.push({ text: `Nothing was imported: the file has ${problemCount === 1 ? '1 problem' : `${problemCount} problems`}`, href: `#${PROBLEMS_ID}` });
  return {
    pageTitle: 'Import referrals from a CSV file',
    errorList,
    fileError: input.fileError,
    fileName: input.fileName,
    problemCount,
    unlisted: input.unlisted ?? 0,
    problemRows: problems.map((p) => [{ text: p.row === null ? 'Whole file' : String(p.row) }, { text: p.column ?? '' }, { text: p.message }]),
    requiredColumns: REFERRAL_COLUMNS.filter((c) => c.required).map((c) => c.name).join(', '),
    optionalColumns: REFERRAL_COLUMNS.filter((c) => !c.required).map((c) => c.name).join(', '),
    maxOffences: MAX_OFFENCES,
    problemsId: PROBLEMS_ID,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The result page after an import: the counts, and each referral with a link to it. */
export function importedView(fileName: string, summary: ImportSummary) {
  const n = summary.referrals.length;
  return {
    pageTitle: 'Referrals imported',
    heading: `${n} referral${n === 1 ? '' : 's'} imported`,
    fileName,
    counts: [
      { key: { text: 'Accepted' }, value: { text: String(summary.accepted) } },
      { key: { text: 'Needs review' }, value: { text: String(summary.needsReview) } },
      { key: { text: 'Ineligible' }, value: { text: String(summary.ineligible) } },
    ],
    referralRows: summary.referrals.map((r): TableCell[] => [
      { text: String(r.row) },
      { html: `<a class="govuk-link" href="${escapeHtml(paths.referral(r.id))}">${escapeHtml(r.policeReference)}</a>` },
      { text: r.area },
      { text: statusLabel(r.status as ReferralStatus) },
    ]),
  };
}
