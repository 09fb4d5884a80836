/**
 * The CSV format for bulk referrals: one row per referral, with flat column names that map to the
 * body of `POST /api/v1/referrals` (API.md). Rows become that body and go through the API's own
 * validation and rules; this module only translates cells to fields and field paths back to columns.
 */
import { parse, CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ReferralFacts } from '../../domain/eligibility/types.ts';

/** At most this many numbered offences per row: offence1… to offence5…. */
export const MAX_OFFENCES = 5;

/** At most this many referrals in one file (split a larger file). */
export const MAX_ROWS = 5000;

/** A row longer than this is not a referral (a guard against reading a wrong file for long). */
const MAX_ROW_CHARACTERS = 100_000;

/** At most this many problems are listed; the rest are counted. */
export const MAX_PROBLEMS_LISTED = 1000;

/**
 * How a cell becomes a field: `text` as written (an empty cell is an empty text, which the API
 * refuses where a value is required); `optionalText` may be empty; `nullable` turns an empty cell
 * into null; `omittable` leaves the field out when empty (the API's default applies); `boolean`
 * reads true/false/yes/no, and `omittableBoolean` leaves it out when empty.
 */
type CellKind = 'text' | 'optionalText' | 'nullable' | 'omittable' | 'boolean' | 'omittableBoolean';

export interface ReferralColumn {
  /** The header, e.g. `offenderFirstName`. */
  name: string;
  /** The field of the API body, e.g. `offender.firstName`. */
  field: string;
  kind: CellKind;
  /** Whether the header row must have this column (others may be left out). */
  required: boolean;
}

const column = (name: string, field: string, kind: CellKind = 'text', required = kind === 'text' || kind === 'boolean'): ReferralColumn => ({ name, field, kind, required });

/** The parts of each numbered offence: `offence2HomeOfficeCode` → `offences[i].homeOfficeCode`. */
const OFFENCE_PARTS = [
  { suffix: 'Category', key: 'category', kind: 'text' },
  { suffix: 'HomeOfficeCode', key: 'homeOfficeCode', kind: 'text' },
  { suffix: 'Date', key: 'date', kind: 'text' },
  { suffix: 'Description', key: 'description', kind: 'optionalText' },
] as const;

function offenceColumns(n: number): ReferralColumn[] {
  // offence1 must be in the header (a referral has at least one offence); its description may be left out.
  return OFFENCE_PARTS.map((part) => column(`offence${n}${part.suffix}`, `offences[${n - 1}].${part.key}`, part.kind, n === 1 && part.kind === 'text'));
}

/** Every column, in the order of the sample file. */
export const REFERRAL_COLUMNS: readonly ReferralColumn[] = [
  column('area', 'area'),
  column('policeReference', 'policeReference'),
  column('officerName', 'referringOfficer.name'),
  column('officerCollarNumber', 'referringOfficer.collarNumber', 'optionalText', true),
  column('officerEmail', 'referringOfficer.email'),
  column('disposalType', 'disposal.type'),
  column('disposalDate', 'disposal.date'),
  column('disposalAuthorisedBy', 'disposal.authorisedBy'),
  column('offenderPolicePersonId', 'offender.policePersonId'),
  column('offenderFirstName', 'offender.firstName'),
  column('offenderLastName', 'offender.lastName'),
  column('offenderDateOfBirth', 'offender.dateOfBirth'),
  column('offenderSex', 'offender.sex'),
  column('offenderPreferredLanguage', 'offender.preferredLanguage'),
  column('offenderInterpreterNeeded', 'offender.interpreterNeeded', 'omittableBoolean'),
  column('offenderAccessibilityNeeds', 'offender.accessibilityNeeds', 'optionalText'),
  column('offenderPhone', 'offender.phone', 'nullable'),
  column('offenderEmail', 'offender.email', 'nullable'),
  column('offenderAddressLine1', 'offender.address.line1'),
  column('offenderTown', 'offender.address.town'),
  column('offenderPostcode', 'offender.address.postcode'),
  column('victimFirstName', 'victim.firstName'),
  column('victimLastName', 'victim.lastName'),
  column('victimPhone', 'victim.phone', 'nullable'),
  column('victimEmail', 'victim.email', 'nullable'),
  column('victimSafeToContact', 'victim.safeToContact', 'boolean'),
  column('victimContactNotes', 'victim.contactNotes', 'optionalText'),
  column('victimPreferredLanguage', 'victim.preferredLanguage', 'omittable'),
  ...Array.from({ length: MAX_OFFENCES }, (_, i) => offenceColumns(i + 1)).flat(),
  column('relationship', 'relationship'),
  column('riskLevel', 'riskLevel'),
  column('fullAdmission', 'fullAdmission', 'boolean'),
  column('acceptsResponsibility', 'acceptsResponsibility', 'boolean'),
  column('victimConsent', 'victimConsent', 'boolean'),
  column('coerciveControlEvidence', 'coerciveControlEvidence', 'boolean'),
  column('onBailOrCourtOrder', 'onBailOrCourtOrder', 'boolean'),
  // `caution:2021-06-30;conviction:2019-01-02`, or empty for none.
  column('priorViolence', 'priorViolence', 'optionalText', false),
];

const COLUMNS_BY_NAME = new Map(REFERRAL_COLUMNS.map((c) => [c.name, c]));
const COLUMNS_BY_FIELD = new Map(REFERRAL_COLUMNS.map((c) => [c.field, c]));
const COLUMN_ORDER = new Map(REFERRAL_COLUMNS.map((c, i) => [c.name, i]));

/** A problem with the file: `row` counts the header as row 1, as a spreadsheet shows it; null for the whole file. */
export interface ImportProblem {
  row: number | null;
  /** The column the problem is in, when there is one. */
  column: string | null;
  message: string;
}

/** One data row of the file, by column name, with its row number (the header is row 1). */
export interface CsvReferralRow {
  row: number;
  cells: ReadonlyMap<string, string>;
}

export type CsvReadOutcome = { ok: true; rows: CsvReferralRow[]; problems: ImportProblem[] } | { ok: false; problems: ImportProblem[] };

const BOOLEANS = new Map<string, boolean>([['true', true], ['yes', true], ['false', false], ['no', false]]);

/** A CSV parser error in words a spreadsheet user can act on. */
function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_ROW_CHARACTERS.toLocaleString('en-GB')} characters: is this a referrals CSV file?`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a value starts with a double quote (") that is never closed';
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a double quote (") is in the middle of a value: put the whole value in double quotes and write each double quote inside it twice ("")';
    default:
      return error.message;
  }
}

/**
 * Reads a referrals CSV file (UTF-8, with or without a byte-order mark; commas; LF or CRLF line
 * ends; values in double quotes may hold commas, quotes and line breaks). Checks the header row and
 * that every row has as many values as the header. Blank rows, and empty columns without a name, are
 * skipped. `ok: false` when the
 * file cannot be read at all; otherwise the rows, with any problems of the header or of single rows
 * (those rows are left out of `rows`).
 */
export function readReferralCsv(content: Uint8Array | string): CsvReadOutcome {
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { ok: false, problems: [{ row: null, column: null, message: 'The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma delimited)”.' }] };
  }
  let records: { record: string[]; info: { records: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, info: true, max_record_size: MAX_ROW_CHARACTERS }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const parsed = typeof error.records === 'number' ? error.records : 0;
    return { ok: false, problems: [{ row: parsed + 1, column: null, message: describeCsvError(error) }] };
  }
  const [header, ...data] = records;
  if (!header || header.record.every((cell) => cell.trim() === '')) {
    return { ok: false, problems: [{ row: null, column: null, message: 'The file is empty. The first row must name the columns, as in the sample file.' }] };
  }

  const names = header.record.map((cell) => cell.trim());
  if (names.length > REFERRAL_COLUMNS.length * 2) {
    return { ok: false, problems: [{ row: 1, column: null, message: `The header row has ${names.length} columns, but a referrals file has at most ${REFERRAL_COLUMNS.length}: is this a referrals CSV file?` }] };
  }
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    // A column without a name is ignored while it is empty (spreadsheets sometimes add one).
    if (name === '') continue;
    if (!COLUMNS_BY_NAME.has(name)) problems.push({ row: 1, column: name.length > 60 ? `${name.slice(0, 60)}…` : name, message: 'is not a known column (see the sample file for the column names)' });
    else if (seen.has(name)) problems.push({ row: 1, column: name, message: 'appears more than once in the header row' });
    seen.add(name);
  }
  for (const required of REFERRAL_COLUMNS.filter((c) => c.required && !seen.has(c.name))) {
    problems.push({ row: 1, column: required.name, message: 'is missing from the header row' });
  }
  if (problems.length > 0) return { ok: false, problems };

  const rows: CsvReferralRow[] = [];
  for (const { record, info } of data) {
    const row = info.records;
    if (record.every((cell) => cell.trim() === '')) continue;
    if (record.length !== names.length) {
      problems.push({ row, column: null, message: `has ${record.length} values but the header row has ${names.length} columns (a value with a comma in it must be in double quotes)` });
      continue;
    }
    if (names.some((name, i) => name === '' && record[i]!.trim() !== '')) {
      problems.push({ row, column: null, message: 'has a value in a column whose name in the header row is empty' });
      continue;
    }
    rows.push({ row, cells: new Map(names.flatMap((name, i) => (name === '' ? [] : [[name, record[i]!.trim()] as const]))) });
  }
  if (rows.length === 0 && problems.length === 0) {
    return { ok: false, problems: [{ row: null, column: null, message: 'The file has no referrals: add one row for each referral under the header row.' }] };
  }
  if (rows.length + problems.length > MAX_ROWS) {
    return { ok: false, problems: [{ row: null, column: null, message: `The file has more than ${MAX_ROWS.toLocaleString('en-GB')} referrals. Split it into smaller files.` }] };
  }
  return { ok: true, rows, problems };
}

function cellValue(kind: CellKind, cell: string | undefined): unknown {
  const value = cell ?? '';
  switch (kind) {
    case 'text':
    case 'optionalText':
      return value;
    case 'nullable':
      return value === '' ? null : value;
    case 'omittable':
      return value === '' ? undefined : value;
    case 'boolean':
    case 'omittableBoolean': {
      if (value === '' && kind === 'omittableBoolean') return undefined;
      const parsed = BOOLEANS.get(value.toLowerCase());
      // Anything else is passed on as written, so the API's own validation refuses it.
      return parsed ?? value;
    }
  }
}

function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) return;
  const keys = field.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** The prior-violence entries of a cell, `kind:date` separated by semicolons, as written. */
function priorViolenceEntries(cell: string): string[] {
  return cell
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** The body of `POST /api/v1/referrals` for one row, and how to name a field of it as a column. */
export interface MappedRow {
  body: Record<string, unknown>;
  /** Which column (and, for prior violence, which entry) an API field path came from. */
  locate(field: string, message: string): { column: string; message: string };
}

/**
 * Turns one row into the API body, without judging it: empty offence groups are left out, and
 * every other cell is passed on for the API's validation to accept or refuse.
 */
export function rowToReferralBody(cells: ReadonlyMap<string, string>): MappedRow {
  const body: Record<string, unknown> = {};
  for (const spec of REFERRAL_COLUMNS) {
    if (spec.field.startsWith('offences[') || spec.field === 'priorViolence') continue;
    setField(body, spec.field, cellValue(spec.kind, cells.get(spec.name)));
  }

  const offenceNumbers: number[] = [];
  const offences: Record<string, unknown>[] = [];
  for (let n = 1; n <= MAX_OFFENCES; n += 1) {
    const values = OFFENCE_PARTS.map((part) => cells.get(`offence${n}${part.suffix}`) ?? '');
    if (n > 1 && values.every((v) => v === '')) continue;
    offenceNumbers.push(n);
    offences.push(Object.fromEntries(OFFENCE_PARTS.map((part, i) => [part.key, values[i]])));
  }
  body.offences = offences;

  const priorViolence = priorViolenceEntries(cells.get('priorViolence') ?? '');
  body.priorViolence = priorViolence.map((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0 ? { kind: entry, date: '' } : { kind: entry.slice(0, colon).trim(), date: entry.slice(colon + 1).trim() };
  });

  return {
    body,
    locate(field, message) {
      const offence = /^offences\[(\d+)\](?:\.(\w+))?$/.exec(field);
      if (offence) {
        const n = offenceNumbers[Number(offence[1])] ?? Number(offence[1]) + 1;
        const part = OFFENCE_PARTS.find((p) => p.key === offence[2]) ?? OFFENCE_PARTS[0];
        return { column: `offence${n}${part.suffix}`, message };
      }
      if (field === 'offences') return { column: 'offence1Category', message };
      const prior = /^priorViolence\[(\d+)\](?:\.(\w+))?$/.exec(field);
      if (prior) {
        const index = Number(prior[1]);
        const what = prior[2] === 'kind' ? 'the kind (caution or conviction) ' : prior[2] === 'date' && /^(must|is) /.test(message) ? 'the date ' : '';
        return { column: 'priorViolence', message: `entry ${index + 1} (${priorViolence[index] ?? ''}): ${what}${message}` };
      }
      if (field === 'priorViolence') return { column: 'priorViolence', message: `${message} (write entries like caution:2021-06-30;conviction:2019-01-02)` };
      const spec = COLUMNS_BY_FIELD.get(field);
      if (!spec) return { column: field, message };
      if ((spec.kind === 'boolean' || spec.kind === 'omittableBoolean') && !BOOLEANS.has((cells.get(spec.name) ?? '').toLowerCase())) {
        return { column: spec.name, message: 'must be true, false, yes or no' };
      }
      return { column: spec.name, message };
    },
  };
}

/** Orders problems by row, then by column as the sample file lays them out. */
export function sortProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  const order = (p: ImportProblem) => (p.column === null ? -1 : (COLUMN_ORDER.get(p.column) ?? REFERRAL_COLUMNS.length));
  return [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a) - order(b));
}

/** One problem as a line of text: `row 3, offenderSex: must be one of: male, female`. */
export function describeProblem(problem: ImportProblem): string {
  const where = [problem.row === null ? undefined : `row ${problem.row}`, problem.column ?? undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

function cellFor(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** The CSV cells for a referral (the inverse of `rowToReferralBody`), e.g. for the sample file. */
export function referralToCsvRow(facts: ReferralFacts): Record<string, string> {
  const row: Record<string, string> = {};
  for (const spec of REFERRAL_COLUMNS) {
    if (spec.field.startsWith('offences[') || spec.field === 'priorViolence') continue;
    const value = spec.field.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], facts);
    row[spec.name] = cellFor(value);
  }
  for (let n = 1; n <= MAX_OFFENCES; n += 1) {
    const offence = facts.offences[n - 1];
    for (const part of OFFENCE_PARTS) row[`offence${n}${part.suffix}`] = cellFor(offence?.[part.key]);
  }
  row.priorViolence = facts.priorViolence.map((p) => `${p.kind}:${p.date}`).join(';');
  return row;
}

/**
 * A CSV file with the header row and one row per referral, in column order; `bom` starts it with a
 * byte-order mark so that spreadsheets open it as UTF-8.
 */
export function referralsCsv(referrals: readonly ReferralFacts[], options: { bom?: boolean } = {}): string {
  const names = REFERRAL_COLUMNS.map((c) => c.name);
  return stringify(
    referrals.map((facts) => {
      const row = referralToCsvRow(facts);
      return names.map((name) => row[name] ?? '');
    }),
    { header: true, columns: names, record_delimiter: 'windows', bom: options.bom ?? false },
  );
}
