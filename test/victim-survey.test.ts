/**
 * The victim's feedback survey: a single-use, expiring link with no account, in the victim's
 * language, with "Exit this page" on every page and nothing naming the offender or the scheme.
 * Plain form posts throughout, so it works without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/features/auth/principal.ts';
import { SURVEY_LINK_DAYS } from '../src/features/victims/service.ts';
import { SURVEY_TEXTS } from '../src/features/victims/survey.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createArea, createUser, signIn } from './support/sign-in.ts';

const clock = testClock(new Date('2026-03-02T10:00:00Z'));
let testApp: TestApp;
let worker: Principal;
let referrer: Principal;

const OFFENDER = { firstName: 'Barnaby', lastName: 'Thistlewood' };
const ANSWERS = { safety: 'a_bit_safer', change: 'better', support: 'yes' };

const app = () => testApp.app;

/** A feedback link for a new referral's victim, in this language; returns its path and the referral. */
async function feedbackLink(language: string, victimLanguage = 'en'): Promise<{ path: string; referralId: string }> {
  const referralId = await submitReferral(app(), referrer, { offender: OFFENDER, victim: { preferredLanguage: victimLanguage } }, clock.now());
  const made = await app().services.victims.createSurveyLink(worker, referralId, { language });
  if (!made.ok) throw new Error('no link');
  return { path: `/feedback/${made.value.token}`, referralId };
}

/** A visitor with no account and no cookies. */
const visitor = {
  get: (url: string) => app().inject({ method: 'GET', url }),
  post: (url: string, form: Record<string, string>) => app().inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }),
};

function expectNeutralPage(html: string, title: string) {
  expect(/<title[^>]*>([^<]*)<\/title>/.exec(html)?.[1]?.trim()).toBe(title);
  expect(html).toContain('govuk-exit-this-page');
  expect(html).toContain('href="https://www.bbc.co.uk/weather"');
  // Exit this page comes first in the page's content, before the main content.
  expect(html.indexOf('govuk-exit-this-page')).toBeLessThan(html.indexOf('<main'));
  for (const word of ['CARA', 'Cautioning', 'case manager', OFFENDER.firstName, OFFENDER.lastName, 'govuk-service-navigation', 'Sign out']) expect(html).not.toContain(word);
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  await createArea(app(), 'devon-cornwall');
  await createUser(app(), 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(app(), 'vw@support.example', 'victim_worker', ['devon-cornwall']);
  referrer = await principalFor(app(), 'jo@police.example');
  worker = await principalFor(app(), 'vw@support.example');
});

afterAll(async () => {
  await testApp?.close();
});

describe('the feedback link', () => {
  it('is made by the victim worker, shown once, and stored only as a hash', async () => {
    const referralId = await submitReferral(app(), referrer, {}, clock.now());
    clock.advance(31_000);
    const web = await signIn(app(), 'vw@support.example', clock.now);
    await web.get(`/victims/${referralId}`);
    const made = await web.post(`/victims/${referralId}/feedback-links`, { language: 'en' });
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const url = /data-testid="feedback-link">([^<]+)</.exec(made.body)![1]!;
    const token = url.split('/feedback/')[1]!;
    expect(url).toBe(`${app().config.publicUrl}/feedback/${token}`);
    const stored = JSON.stringify(await app().db.selectFrom('survey_links').selectAll().execute());
    expect(stored).not.toContain(token);
    expect((await visitor.get(`/feedback/${token}`)).statusCode).toBe(200);
  });

  it('opens with no account: a neutral title, Exit this page at the top, no staff navigation, nothing naming the offender or the scheme', async () => {
    const { path } = await feedbackLink('en');
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(200);
    expectNeutralPage(page.body, 'Your feedback');
    expect(page.body).toContain('<html lang="en"');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // A plain form: it works without JavaScript.
    expect(page.body).toContain(`<form method="post" action="${path}"`);
  });

  it('is in Welsh for a Welsh link, and falls back to English (lang="en") for a language without its own words', async () => {
    const welsh = await visitor.get((await feedbackLink('cy', 'cy')).path);
    expect(welsh.body).toContain('<html lang="cy"');
    expectNeutralPage(welsh.body, 'Eich adborth');
    expect(welsh.body).toContain(SURVEY_TEXTS.cy.questions.safety.legend);
    expect(welsh.body).toContain('Gadael y dudalen hon');
    expect(welsh.body).toContain('lang="en" hreflang="en">English</a>');
    const polish = await visitor.get((await feedbackLink('pl', 'pl')).path);
    expect(polish.body).toContain('<html lang="en"');
    expect(polish.body).toContain(SURVEY_TEXTS.en.questions.safety.legend);
    expect(polish.body).not.toContain('Cymraeg');
  });

  it('names every unanswered question in the reader’s language and keeps the link usable', async () => {
    const { path } = await feedbackLink('cy', 'cy');
    const page = await visitor.post(path, { safety: 'much_safer', comments: 'kept', lang: 'cy' });
    expect(page.statusCode).toBe(422);
    expectNeutralPage(page.body, 'Gwall: Eich adborth');
    expect(page.body).toContain(SURVEY_TEXTS.cy.questions.change.error);
    expect(page.body).toContain('href="#change"');
    expect(page.body).toContain('>kept</textarea>');
    expect((await visitor.get(path)).statusCode).toBe(200);
  });

  it('works once only: the answers are kept (comments encrypted), then the link shows the same page as an unknown one', async () => {
    const { path, referralId } = await feedbackLink('en');
    const sent = await visitor.post(path, { ...ANSWERS, comments: 'SURVEYCOMMENT things are calmer', lang: 'en' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/feedback/thank-you?lang=en');
    const thanks = await visitor.get(sent.headers.location as string);
    expect(thanks.statusCode).toBe(200);
    expectNeutralPage(thanks.body, 'Thank you – Your feedback');

    const again = await visitor.get(path);
    expect(again.statusCode).toBe(404);
    expectNeutralPage(again.body, 'This link cannot be used – Your feedback');
    const unknown = await visitor.get('/feedback/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.body.slice(unknown.body.indexOf('<main'))).toBe(again.body.slice(again.body.indexOf('<main')));
    const twice = await visitor.post(path, { ...ANSWERS, lang: 'en' });
    expect(twice.statusCode).toBe(404);

    const responses = await app().db.selectFrom('survey_responses').selectAll().where('referral_id', '=', referralId).execute();
    expect(responses).toHaveLength(1);
    expect(responses[0]!.answers).toEqual(ANSWERS);
    expect(JSON.stringify(responses)).not.toContain('SURVEYCOMMENT');
    const record = (await app().services.victims.record(worker, referralId))!;
    expect(record.responses[0]).toMatchObject({ answers: ANSWERS, comments: 'SURVEYCOMMENT things are calmer' });
    expect(record.surveyLinks[0]!.state).toBe('used');
  });

  it('two answers sent at once store one', async () => {
    const { path, referralId } = await feedbackLink('en');
    const results = await Promise.all([visitor.post(path, { ...ANSWERS }), visitor.post(path, { ...ANSWERS })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 404]);
    expect(await app().db.selectFrom('survey_responses').select('id').where('referral_id', '=', referralId).execute()).toHaveLength(1);
  });

  it(`expires after ${SURVEY_LINK_DAYS} days`, async () => {
    const { path, referralId } = await feedbackLink('en');
    clock.advance(SURVEY_LINK_DAYS * 86_400_000 - 60_000);
    expect((await visitor.get(path)).statusCode).toBe(200);
    clock.advance(60_000);
    const expired = await visitor.get(path);
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain(SURVEY_TEXTS.en.unavailable.title);
    expect((await visitor.post(path, { ...ANSWERS })).statusCode).toBe(404);
    expect(await app().db.selectFrom('survey_responses').select('id').where('referral_id', '=', referralId).execute()).toEqual([]);
    expect((await app().services.victims.record(worker, referralId))!.surveyLinks[0]!.state).toBe('expired');
  });

  it('can be answered by someone who happens to be signed in (the form carries their CSRF token)', async () => {
    const { path } = await feedbackLink('en');
    clock.advance(31_000);
    const web = await signIn(app(), 'vw@support.example', clock.now);
    const page = await web.get(path);
    expect(page.body).toContain('name="_csrf"');
    expect((await web.post(path, { ...ANSWERS })).statusCode).toBe(303);
  });
});
