import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../src/cli/main.ts';
import { openDatabase } from '../src/db/database.ts';
import { validReferralFacts, type ReferralFactsOverrides } from '../src/domain/eligibility/fixtures.ts';
import type { ReferralFacts } from '../src/domain/eligibility/types.ts';
import { actorOf, type Principal } from '../src/features/auth/principal.ts';
import { describeProblem, readReferralCsv, REFERRAL_COLUMNS, referralsCsv, referralToCsvRow, rowToReferralBody, type ImportProblem } from '../src/features/referral-import/csv-format.ts';
import { referralImportService } from '../src/features/referral-import/service.ts';
import { importedView, importFormView } from '../src/features/referral-import/presenters.ts';
import { validateReferral } from '../src/features/referrals/validation.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { testDatabaseEnvironment } from './support/database.ts';
import { createArea, createUser, csrfFrom, signIn, TEST_PASSWORD, type WebSession } from './support/sign-in.ts';

const HEADER = REFERRAL_COLUMNS.map((c) => c.name);
let counter = 0;

/** A valid referral with a police reference of its own. */
function referral(overrides: ReferralFactsOverrides = {}): ReferralFacts {
  counter += 1;
  return validReferralFacts({ policeReference: `DC/IMP/${100000 + counter}`, ...overrides });
}

/** A CSV file from referrals, with some cells changed: `{ 1: { offenderSex: 'cat' } }` changes the second referral's row. */
function csvFile(referrals: ReferralFacts[], changes: Record<number, Record<string, string>> = {}): string {
  const rows = referrals.map((facts, i) => {
    const row = { ...referralToCsvRow(facts), ...changes[i] };
    return HEADER.map((name) => row[name] ?? '');
  });
  return stringify(rows, { header: true, columns: HEADER });
}

/** The cells of the first data row of a CSV text. */
function firstRow(text: string) {
  const read = readReferralCsv(text);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.rows[0]!;
}

function problemLines(problems: readonly ImportProblem[]): string[] {
  return problems.map(describeProblem);
}

describe('the referrals CSV format', () => {
  it('maps a row to the API body, which passes the API’s validation unchanged', () => {
    const facts = referral({ offender: { email: null, accessibilityNeeds: 'Step-free access' }, priorViolence: [{ kind: 'caution', date: '2021-06-30' }, { kind: 'conviction', date: '2019-01-02' }] });
    const { body } = rowToReferralBody(firstRow(referralsCsv([facts])).cells);
    expect(body.offender).toMatchObject({ firstName: 'Sam', email: null, accessibilityNeeds: 'Step-free access', interpreterNeeded: false, address: { line1: '1 High Street', town: 'Exeter', postcode: 'EX1 1AA' } });
    expect(body.priorViolence).toEqual([{ kind: 'caution', date: '2021-06-30' }, { kind: 'conviction', date: '2019-01-02' }]);
    expect(body.offences).toEqual(facts.offences);
    const validated = validateReferral(body, new Date('2026-03-02T10:00:00Z'));
    expect(validated.ok && validated.facts).toEqual(facts);
  });

  it('reads quoted values with commas, doubled quotes and line breaks, a byte-order mark and CRLF line ends', () => {
    const facts = referral();
    const cells = referralToCsvRow(facts);
    const quoted = { ...cells, offenderAccessibilityNeeds: 'Needs a ramp, and a "quiet" room\r\nfirst floor only', offence1Description: 'Pushed partner, then left' };
    const text = `\uFEFF${HEADER.join(',')}\r\n${HEADER.map((name) => {
      const value = quoted[name as keyof typeof quoted] ?? '';
      return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    }).join(',')}\r\n`;
    const read = readReferralCsv(Buffer.from(text, 'utf8'));
    expect(read.ok && read.problems).toEqual([]);
    const row = firstRow(text);
    expect(row.row).toBe(2);
    expect(row.cells.get('area')).toBe('devon-cornwall');
    const { body } = rowToReferralBody(row.cells);
    expect((body.offender as Record<string, unknown>).accessibilityNeeds).toBe('Needs a ramp, and a "quiet" room\r\nfirst floor only');
    expect((body.offences as { description: string }[])[0]!.description).toBe('Pushed partner, then left');
  });

  it('reads yes/no and true/false in any case, leaves empty optional cells to the API’s defaults, and skips empty offence groups', () => {
    const facts = referral();
    const text = csvFile([facts], {
      0: { fullAdmission: 'Yes', victimConsent: 'TRUE', coerciveControlEvidence: 'no', onBailOrCourtOrder: 'False', offenderInterpreterNeeded: '', victimPreferredLanguage: '', victimPhone: '', priorViolence: '', offence3Category: 'criminal_damage', offence3HomeOfficeCode: '58/01', offence3Date: '2025-11-01' },
    });
    const { body } = rowToReferralBody(firstRow(text).cells);
    expect(body).toMatchObject({ fullAdmission: true, victimConsent: true, coerciveControlEvidence: false, onBailOrCourtOrder: false, priorViolence: [] });
    expect(body.offender).not.toHaveProperty('interpreterNeeded');
    expect(body.victim).not.toHaveProperty('preferredLanguage');
    expect((body.victim as Record<string, unknown>).phone).toBeNull();
    expect((body.offences as { category: string }[]).map((o) => o.category)).toEqual(['common_assault', 'criminal_damage']);
    // offences[1] came from the offence3… columns: its problems are named after them.
    const mapped = rowToReferralBody(firstRow(text).cells);
    expect(mapped.locate('offences[1].date', 'is wrong')).toEqual({ column: 'offence3Date', message: 'is wrong' });
    expect(mapped.locate('offender.address.postcode', 'must be a UK postcode')).toEqual({ column: 'offenderPostcode', message: 'must be a UK postcode' });
  });

  it('names the header’s unknown, repeated and missing columns', () => {
    const header = [...HEADER.filter((name) => name !== 'offenderSex'), 'colour', 'area'];
    const read = readReferralCsv(`${header.join(',')}\n`);
    expect(read.ok).toBe(false);
    expect(problemLines(read.problems)).toEqual(
      expect.arrayContaining(['row 1, colour: is not a known column (see the sample file for the column names)', 'row 1, area: appears more than once in the header row', 'row 1, offenderSex: is missing from the header row']),
    );
  });

  it('ignores an unnamed column while it is empty, and refuses a value under it', () => {
    const good = csvFile([referral()]);
    const [header, row] = good.split('\n');
    const read = readReferralCsv(`${header},\n${row},\n`);
    expect(read.ok && read.problems).toEqual([]);
    const filled = readReferralCsv(`${header},\n${row},stray\n`);
    expect(filled.ok && problemLines(filled.problems)).toEqual(['row 2: has a value in a column whose name in the header row is empty']);
  });

  it('accepts a header without the optional columns', () => {
    const required = REFERRAL_COLUMNS.filter((c) => c.required).map((c) => c.name);
    const cells = referralToCsvRow(referral());
    const read = readReferralCsv(`${required.join(',')}\n${required.map((name) => cells[name]).join(',')}\n`);
    expect(read.ok && read.problems).toEqual([]);
    const { body } = rowToReferralBody(firstRow(`${required.join(',')}\n${required.map((name) => cells[name]).join(',')}\n`).cells);
    expect(validateReferral(body, new Date('2026-03-02T10:00:00Z')).ok).toBe(true);
  });

  it('reports a row with too many values, an unclosed quote, an empty file and a file that is not UTF-8', () => {
    const good = csvFile([referral()]);
    const extra = readReferralCsv(`${good}DC/1,unquoted, comma\n`);
    expect(extra.ok && problemLines(extra.problems)).toEqual([`row 3: has 3 values but the header row has ${HEADER.length} columns (a value with a comma in it must be in double quotes)`]);

    const unclosed = readReferralCsv(`${good}"DC/2,${'x,'.repeat(HEADER.length - 1)}\n`);
    expect(unclosed.ok).toBe(false);
    expect(problemLines(unclosed.problems)[0]).toMatch(/^row 3: a value starts with a double quote/);

    expect(problemLines(readReferralCsv('').problems)).toEqual(['The file is empty. The first row must name the columns, as in the sample file.']);
    expect(problemLines(readReferralCsv(`${HEADER.join(',')}\r\n\r\n`).problems)[0]).toMatch(/no referrals/);
    expect(problemLines(readReferralCsv(Buffer.from([0x61, 0x72, 0x65, 0x61, 0x0a, 0xe9, 0x0a])).problems)[0]).toMatch(/not UTF-8/);
  });

  it('gives up quickly on a file that is not a referrals CSV: a huge row, or far too many columns', () => {
    const started = Date.now();
    expect(problemLines(readReferralCsv(`${HEADER.join(',')}\n"${'x'.repeat(200_000)}"\n`).problems)).toEqual(['row 2: the row is longer than 100,000 characters: is this a referrals CSV file?']);
    expect(problemLines(readReferralCsv(`${'a,'.repeat(10_000)}\n`).problems)[0]).toMatch(/^row 1: The header row has 10001 columns/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps spreadsheet row numbers across blank rows and quoted line breaks', () => {
    const [a, b] = [referralToCsvRow(referral()), referralToCsvRow(referral())];
    const line = (cells: Record<string, string>) => stringify([HEADER.map((name) => cells[name] ?? '')]);
    const text = `${HEADER.join(',')}\n${line({ ...a, victimContactNotes: 'two\nlines' })}\n${line(b)}`;
    const read = readReferralCsv(text);
    expect(read.ok && read.rows.map((r) => r.row)).toEqual([2, 4]);
  });
});

describe('the import pages’ presenters', () => {
  it('summarise the problems for the error summary, counting those not listed', () => {
    const view = importFormView({ fileName: 'f.csv', problems: [{ row: 3, column: 'offenderSex', message: 'must be one of: male, female' }, { row: null, column: null, message: 'whole' }], unlisted: 5 });
    expect(view.errorList).toEqual([{ text: 'Nothing was imported: the file has 7 problems', href: '#import-problems' }]);
    expect(view.problemRows).toEqual([[{ text: '3' }, { text: 'offenderSex' }, { text: 'must be one of: male, female' }], [{ text: 'Whole file' }, { text: '' }, { text: 'whole' }]]);
    expect(importFormView({ fileError: 'Select a CSV file' }).errorList).toEqual([{ text: 'Select a CSV file', href: '#file' }]);
  });

  it('link each imported referral by its police reference, escaped', () => {
    const view = importedView('f.csv', { referrals: [{ row: 2, id: '00000000-0000-4000-8000-000000000001', area: 'devon-cornwall', policeReference: 'DC/<b>1</b>&', status: 'needs_review', outcome: 'needs_review' }], accepted: 0, needsReview: 1, ineligible: 0 });
    expect(view.heading).toBe('1 referral imported');
    expect(view.referralRows[0]).toEqual([{ text: '2' }, { html: '<a class="govuk-link" href="/referrals/00000000-0000-4000-8000-000000000001">DC/&lt;b&gt;1&lt;/b&gt;&amp;</a>' }, { text: 'devon-cornwall' }, { text: 'Needs review' }]);
  });
});

describe('importing referrals', () => {
  const clock = testClock(new Date('2026-03-02T10:00:00Z'));
  let testApp: TestApp;
  let referrer: Principal;
  let coordinator: Principal;
  let referrerSession: WebSession;
  let coordinatorSession: WebSession;

  async function principalFor(email: string): Promise<Principal> {
    const user = await testApp.app.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    const areaIds = (await testApp.app.db.selectFrom('user_areas').select('area_id').where('user_id', '=', user.id).execute()).map((r) => r.area_id);
    return { userId: user.id, name: user.name, email: user.email, role: user.role as Principal['role'], areaIds, via: 'session', ip: '127.0.0.1' };
  }

  async function counts() {
    const db = testApp.app.db;
    const count = async (table: 'referrals' | 'participants' | 'victims' | 'referral_events' | 'audit_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    return { referrals: await count('referrals'), participants: await count('participants'), victims: await count('victims'), events: await count('referral_events'), audit: await count('audit_log') };
  }

  function importAs(principal: Principal, csv: string) {
    return referralImportService(testApp.app.services.referrals).importCsv(csv, { scope: { userId: principal.userId, role: principal.role, areaIds: principal.areaIds }, actor: actorOf(principal) }, { fileName: 'test.csv', channel: 'test' });
  }

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const { app } = testApp;
    await createArea(app, 'devon-cornwall', { languages: ['en'] });
    await createArea(app, 'west-midlands');
    await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    referrer = await principalFor('jo@police.example');
    coordinator = await principalFor('co@provider.example');
    referrerSession = await signIn(app, 'jo@police.example', clock.now);
    clock.advance(31_000);
    coordinatorSession = await signIn(app, 'co@provider.example', clock.now);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('stores nothing when one row is wrong, and reports every problem by row and column', async () => {
    const before = await counts();
    const file = csvFile([referral(), referral(), referral(), referral()], {
      1: { offenderSex: 'cat', fullAdmission: 'maybe' },
      2: { disposalDate: '03/11/2025' },
      3: { offenderPostcode: 'nowhere', priorViolence: 'caution:2021-06-30;slap:2020-01-01', offence1HomeOfficeCode: '' },
    });
    const outcome = await importAs(referrer, file);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && problemLines(outcome.problems)).toEqual([
      'row 3, offenderSex: must be one of: male, female',
      'row 3, fullAdmission: must be true, false, yes or no',
      'row 4, disposalDate: Enter a real date written as YYYY-MM-DD, such as 2025-11-03',
      'row 5, offenderPostcode: must be a UK postcode, like EX1 1AA',
      'row 5, offence1HomeOfficeCode: must be a Home Office offence code, like 105/01',
      'row 5, priorViolence: entry 2 (slap:2020-01-01): the kind (caution or conviction) must be one of: conviction, caution',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a police reference repeated in the file or already used in the area, and an area the user does not work in', async () => {
    const existing = referral();
    const submitted = await testApp.app.services.referrals.submit(existing, referrer, { via: 'api' });
    expect(submitted.kind).toBe('created');
    const before = await counts();
    const repeated = referral();
    const file = csvFile([repeated, referral(), { ...repeated, policeReference: repeated.policeReference.toLowerCase() }, referral({ policeReference: existing.policeReference }), referral({ area: 'west-midlands' }), referral({ area: 'kent' })]);
    const outcome = await importAs(referrer, file);
    expect(!outcome.ok && problemLines(outcome.problems)).toEqual([
      `row 4, policeReference: ${repeated.policeReference.toLowerCase()} is also the police reference of row 2`,
      `row 5, policeReference: A referral with police reference ${existing.policeReference} already exists in devon-cornwall`,
      'row 6, area: you do not work in west-midlands, so you cannot refer there',
      'row 7, area: there is no area kent',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('imports a good file in one go: each referral with its decision, deadlines, timeline and audit entry, plus one for the import', async () => {
    const before = await counts();
    const file = csvFile([referral(), referral({ riskLevel: 'high' }), referral({ offender: { preferredLanguage: 'so' } })]);
    const outcome = await importAs(referrer, file);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.summary).toMatchObject({ accepted: 1, needsReview: 1, ineligible: 1 });
    expect(outcome.summary.referrals.map((r) => [r.row, r.status])).toEqual([[2, 'accepted'], [3, 'ineligible'], [4, 'needs_review']]);

    const after = await counts();
    expect(after.referrals - before.referrals).toBe(3);
    expect(after.events - before.events).toBe(6); // received, then the eligibility decision
    expect(after.audit - before.audit).toBe(4);
    const stored = await testApp.app.db.selectFrom('referrals').select(['submitted_via', 'eligibility_outcome', 'contact_by', 'created_by']).where('id', 'in', outcome.summary.referrals.map((r) => r.id)).execute();
    expect(stored.every((r) => r.submitted_via === 'import' && r.created_by === referrer.userId && r.contact_by === '2025-11-17')).toBe(true);
    const importEntry = await testApp.app.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(importEntry).toMatchObject({ action: 'import', record_type: 'referral_import', actor_id: referrer.userId });
    expect(importEntry.detail).toMatchObject({ fileName: 'test.csv', referrals: 3, eligible: 1, needsReview: 1, ineligible: 1, areas: ['devon-cornwall'] });
    const timeline = await testApp.app.services.referrals.timeline(outcome.summary.referrals[0]!.id);
    expect(timeline.map((e) => e.summary)).toContain('Referral received (bulk import)');
    expect(await testApp.app.services.audit.verify()).toMatchObject({ ok: true });
  });

  it('stores nothing if a police reference is taken between the check and the store, naming the referral', async () => {
    const referrals = testApp.app.services.referrals;
    const [first, second] = [referral(), referral()];
    const checked = await referrals.checkBatch([first, second], { scope: { userId: referrer.userId, role: referrer.role, areaIds: referrer.areaIds }, actor: actorOf(referrer) });
    if (checked.kind !== 'checked') throw new Error(JSON.stringify(checked));
    expect((await referrals.submit(second, referrer, { via: 'api' })).kind).toBe('created');
    const before = await counts();
    const stored = await referrals.storeBatch(checked.batch);
    expect(stored).toEqual({ kind: 'invalid', referrals: [{ index: 1, errors: { policeReference: `A referral with police reference ${second.policeReference} already exists in devon-cornwall` } }] });
    expect(await counts()).toEqual(before);
  });

  it('lists at most 1000 problems and counts the rest', async () => {
    const outcome = await importAs(referrer, `${csvFile([referral()])}${'x,y\n'.repeat(1001)}`);
    expect(!outcome.ok && [outcome.problems.length, outcome.unlisted]).toEqual([1000, 1]);
    expect(!outcome.ok && describeProblem(outcome.problems[0]!)).toMatch(/^row 3: has 2 values/);
  });

  it('refuses an import by someone who is not police', async () => {
    const outcome = await importAs(coordinator, csvFile([referral()]));
    expect(!outcome.ok && problemLines(outcome.problems)).toEqual(['Only police referrers and police managers can import referrals.']);
  });

  describe('the upload page', () => {
    /** A multipart/form-data body built by hand, parts in the order given. */
    function multipart(parts: ({ name: string; value: string } | { name: string; filename: string; content: string | Buffer })[]) {
      const boundary = `----cara${randomBytes(8).toString('hex')}`;
      const chunks: Buffer[] = [];
      for (const part of parts) {
        chunks.push(Buffer.from(`--${boundary}\r\n`));
        if ('filename' in part) {
          chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
        } else {
          chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
        }
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    }

    async function upload(session: WebSession, parts: Parameters<typeof multipart>[0]) {
      const { payload, headers } = multipart(parts);
      return testApp.app.inject({ method: 'POST', url: '/referrals/import', headers: { ...headers, cookie: session.jar.header() }, payload });
    }

    async function uploadFile(session: WebSession, content: string | Buffer, filename = 'referrals.csv') {
      const page = await session.get('/referrals/import');
      expect(page.statusCode).toBe(200);
      return upload(session, [{ name: '_csrf', value: csrfFrom(page.body) }, { name: 'file', filename, content }]);
    }

    it('shows the upload form with the GOV.UK file upload, a CSRF token and the sample file link', async () => {
      const page = await referrerSession.get('/referrals/import');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('enctype="multipart/form-data"');
      expect(page.body).toContain('govuk-file-upload');
      expect(page.body).toContain('href="/referrals/import/sample.csv"');
      expect(page.body).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    });

    it('offers a sample file with the header row and one example that imports as it is', async () => {
      const sample = await referrerSession.get('/referrals/import/sample.csv');
      expect(sample.statusCode).toBe(200);
      expect(sample.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(sample.headers['content-disposition']).toContain('attachment');
      const lines = sample.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(HEADER.join(','));
      const read = readReferralCsv(sample.rawPayload);
      expect(read.ok && validateReferral(rowToReferralBody(read.rows[0]!.cells).body, clock.now()).ok).toBe(true);
    });

    it('imports a good file and shows the counts and a link to each referral', async () => {
      const before = await counts();
      const response = await uploadFile(referrerSession, `\uFEFF${csvFile([referral(), referral({ victimConsent: false })]).replace(/\n/g, '\r\n')}`);
      expect(response.statusCode, response.body.slice(0, 2000)).toBe(200);
      expect(response.body).toContain('2 referrals imported');
      expect(response.body).toMatch(/Accepted\s*<\/dt>\s*<dd[^>]*>\s*1/);
      expect(response.body).toMatch(/Ineligible\s*<\/dt>\s*<dd[^>]*>\s*1/);
      expect(response.body).toMatch(/href="\/referrals\/[0-9a-f-]{36}"/);
      expect((await counts()).referrals - before.referrals).toBe(2);
    });

    it('lists every problem with row, column and message, and says nothing was imported', async () => {
      const before = await counts();
      const response = await uploadFile(referrerSession, csvFile([referral(), referral()], { 1: { offenderSex: 'cat', victimSafeToContact: '' } }));
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Nothing was imported');
      expect(response.body).toContain('govuk-error-summary');
      expect(response.body).toMatch(/<td[^>]*>3<\/td>\s*<td[^>]*>offenderSex<\/td>\s*<td[^>]*>must be one of: male, female<\/td>/);
      expect(response.body).toContain('victimSafeToContact');
      expect(await counts()).toEqual(before);
    });

    it('refuses a file that is not a CSV, no file, and a file over 5 MB', async () => {
      const notCsv = await uploadFile(referrerSession, 'hello', 'referrals.xlsx');
      expect(notCsv.statusCode).toBe(400);
      expect(notCsv.body).toContain('The selected file must be a CSV');
      const page = await referrerSession.get('/referrals/import');
      const none = await upload(referrerSession, [{ name: '_csrf', value: csrfFrom(page.body) }, { name: 'file', filename: '', content: '' }]);
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('Select a CSV file');
      const large = await uploadFile(referrerSession, Buffer.alloc(5 * 1024 * 1024 + 10, 'a'));
      expect(large.statusCode).toBe(413);
      expect(large.body).toContain('The selected file must be smaller than 5 MB');
    });

    it('refuses a forged or missing CSRF token (403), storing nothing', async () => {
      const before = await counts();
      const file = csvFile([referral()]);
      const forged = await upload(referrerSession, [{ name: '_csrf', value: 'forged-token' }, { name: 'file', filename: 'referrals.csv', content: file }]);
      expect(forged.statusCode).toBe(403);
      const missing = await upload(referrerSession, [{ name: 'file', filename: 'referrals.csv', content: file }]);
      expect(missing.statusCode).toBe(403);
      const page = await referrerSession.get('/referrals/import');
      const tokenAfterFile = await upload(referrerSession, [{ name: 'file', filename: 'referrals.csv', content: file }, { name: '_csrf', value: csrfFrom(page.body) }]);
      expect(tokenAfterFile.statusCode).toBe(403);
      // An ordinary form post without a token is still refused by the global check.
      const plain = await referrerSession.post('/referrals/import', {}, { csrf: null });
      expect(plain.statusCode).toBe(403);
      expect(await counts()).toEqual(before);
    });

    it('is only for police referrers and police managers (403 for others)', async () => {
      const before = await counts();
      expect((await coordinatorSession.get('/referrals/import')).statusCode).toBe(403);
      expect((await coordinatorSession.get('/referrals/import/sample.csv')).statusCode).toBe(403);
      const posted = await upload(coordinatorSession, [{ name: '_csrf', value: coordinatorSession.csrf }, { name: 'file', filename: 'referrals.csv', content: csvFile([referral()]) }]);
      expect(posted.statusCode).toBe(403);
      expect(await counts()).toEqual(before);
    });

    it('sends a signed-out visitor to sign in', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/referrals/import' });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/sign-in?returnTo=%2Freferrals%2Fimport');
    });
  });
});

describe('cara import referrals', () => {
  let dir: string;
  let dbEnv: { env: Record<string, string>; close: () => Promise<void> };
  const env = (): Record<string, string> => ({ ...dbEnv.env, LOG_LEVEL: 'silent', CARA_SECRET: 'test-secret-0123456789abcdef0123456789abcdef' });

  /** A fake terminal for standard error, to see the progress bar. */
  function fakeTerminal() {
    let written = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }) as Writable & { isTTY: boolean; columns: number; text: () => string };
    stream.isTTY = true;
    stream.columns = 100;
    stream.text = () => written;
    return stream;
  }

  async function cara(args: string[], options: { stdin?: string; progressStream?: CliIo['progressStream']; env?: Record<string, string> } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text), readStdin: async () => options.stdin, env: options.env ?? env(), ...(options.progressStream ? { progressStream: options.progressStream } : {}) };
    const code = await run(['node', 'cara', ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function storedReferences(): Promise<string[]> {
    const database = await openDatabase({ databaseUrl: env().DATABASE_URL, dataDir: env().CARA_DATA_DIR });
    try {
      return (await database.db.selectFrom('referrals').select('police_reference').orderBy('police_reference').execute()).map((r) => r.police_reference);
    } finally {
      await database.close();
    }
  }

  function writeCsv(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cara-import-'));
    dbEnv = await testDatabaseEnvironment(path.join(dir, 'data'));
    expect((await cara(['area', 'add', 'devon-cornwall', '--name', 'Devon and Cornwall'])).code).toBe(0);
    expect((await cara(['user', 'add', 'jo@police.example', '--role', 'referrer', '--area', 'devon-cornwall'], { stdin: `${TEST_PASSWORD}\n` })).code).toBe(0);
    expect((await cara(['user', 'add', 'co@provider.example', '--role', 'coordinator', '--area', 'devon-cornwall'], { stdin: `${TEST_PASSWORD}\n` })).code).toBe(0);
  });
  afterAll(async () => {
    await dbEnv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents the command and its --as option', async () => {
    const help = await cara(['import', 'referrals', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: cara import referrals [options] <file.csv>');
    expect(help.out).toContain('--as <email>');
    expect(help.out).toContain('all or nothing');
  });

  it('prints usage and exits 2 on an unknown option or a missing --as', async () => {
    const unknown = await cara(['import', 'referrals', 'x.csv', '--as', 'jo@police.example', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown option '--frobnicate'");
    const missing = await cara(['import', 'referrals', 'x.csv']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--as <email>');
  });

  it('lists every problem and imports nothing (exit 1)', async () => {
    const file = writeCsv('bad.csv', csvFile([referral({ policeReference: 'CLI/1' }), referral({ policeReference: 'CLI/1' }), referral({ policeReference: 'CLI/3' })], { 2: { riskLevel: 'low' } }));
    const result = await cara(['import', 'referrals', file, '--as', 'jo@police.example']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file} has 2 problems:`);
    expect(result.err).toContain('  row 3, policeReference: CLI/1 is also the police reference of row 2');
    expect(result.err).toContain('  row 4, riskLevel: must be one of: standard, medium, high');
    expect(result.err).toContain('Nothing was imported.');
    expect(await storedReferences()).toEqual([]);
  });

  it('imports a good file with a progress bar on a terminal, then prints the summary', async () => {
    const terminal = fakeTerminal();
    const file = writeCsv('good.csv', csvFile([referral({ policeReference: 'CLI/10' }), referral({ policeReference: 'CLI/11', relationship: 'family_member' }), referral({ policeReference: 'CLI/12' })]));
    const result = await cara(['import', 'referrals', file, '--as', 'jo@police.example'], { progressStream: terminal });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toBe('3 referrals imported: 2 accepted, 0 needs review, 1 ineligible.');
    expect(terminal.text()).toContain('Checking');
    expect(terminal.text()).toContain('3/3');
    expect(await storedReferences()).toEqual(['CLI/10', 'CLI/11', 'CLI/12']);

    const again = await cara(['import', 'referrals', file, '--as', 'jo@police.example']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('row 2, policeReference: A referral with police reference CLI/10 already exists in devon-cornwall');
  });

  it('refuses a user who is not police, an unknown user and a missing file', async () => {
    const file = writeCsv('one.csv', csvFile([referral({ policeReference: 'CLI/20' })]));
    const coordinator = await cara(['import', 'referrals', file, '--as', 'co@provider.example']);
    expect(coordinator.code).toBe(1);
    expect(coordinator.err).toContain('only police referrers and police managers can refer');
    const unknown = await cara(['import', 'referrals', file, '--as', 'nobody@police.example']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No user has the email nobody@police.example');
    const missing = await cara(['import', 'referrals', path.join(dir, 'missing.csv'), '--as', 'jo@police.example']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Could not read');
    const { CARA_SECRET: _secret, ...withoutSecret } = env();
    const noSecret = await cara(['import', 'referrals', file, '--as', 'jo@police.example'], { env: { ...withoutSecret, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(noSecret.code).toBe(1);
    expect(noSecret.err).toContain('Set CARA_SECRET');
    expect(await storedReferences()).not.toContain('CLI/20');
  });
});
