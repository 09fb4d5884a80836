import { describe, expect, it } from 'vitest';
import { contactRulesView, dateRanges, milestoneProgress, milestoneWindow, responseViews, surveyLanguageItems, updateKindItems } from './presenters.ts';
import { surveyLinkState, updateAllowed, type Consent, type VictimDetails } from './service.ts';

const victim: VictimDetails = { firstName: 'A', lastName: 'B', phone: null, email: null, policeContactNotes: 'mobile only', safeToContact: true, preferredLanguage: 'en' };
const consent = (overrides: Partial<Consent> = {}): Consent => ({ id: 'c', wantsAttendanceUpdates: true, wantsOutcomeUpdates: false, channel: 'sms', recordedAt: new Date('2026-03-02T10:00:00Z'), recordedBy: 'vw', ...overrides });

describe('what the victim support pages show', () => {
  it('says the safe-contact rules before contact, warning apart when no voicemail may be left', () => {
    const none = contactRulesView(undefined, { ...victim, safeToContact: false });
    expect(none.lines[0]).toContain('NOT safe to contact');
    expect(none.lines).toContain('The police noted: mobile only');
    const rules = contactRulesView({ safeChannels: ['sms', 'phone'], safeTimes: 'after 6pm', noVoicemail: true, notes: '', recordedAt: new Date(), recordedBy: 'vw' }, victim);
    expect(rules.noVoicemail).toBe(true);
    expect(rules.lines).toEqual(['Safe ways: text message, phone call.', 'Safe times: after 6pm.', 'The police noted: mobile only']);
  });

  it('writes dates not to book as ranges', () => {
    expect(dateRanges(['2026-03-16', '2026-03-14', '2026-03-15', '2026-03-20'])).toBe('14 March 2026 to 16 March 2026, 20 March 2026');
  });

  it('describes each due contact', () => {
    expect(milestoneWindow({ key: 'between_parts', opensOn: null, dueOn: null, metOn: null, attempts: 0, state: 'waiting' })).toBe('Dated once the workshops are booked');
    expect(milestoneProgress({ key: 'first_contact', opensOn: '2026-03-02', dueOn: '2026-03-16', metOn: '2026-03-18', attempts: 2, state: 'done' })).toBe('Contact made on 18 March 2026 (late)');
    expect(milestoneProgress({ key: 'first_contact', opensOn: '2026-03-02', dueOn: '2026-03-16', metOn: null, attempts: 2, state: 'open' })).toBe('2 attempts, no contact yet');
  });

  it('offers only the updates the victim agreed to', () => {
    expect(updateKindItems(undefined, '')).toEqual([]);
    expect(updateKindItems(consent(), '').map((i) => i.value)).toEqual(['attendance']);
    expect(updateKindItems(consent({ channel: null }), '')).toEqual([]);
    expect(updateAllowed(consent(), 'attendance')).toBe(true);
    expect(updateAllowed(consent(), 'outcome')).toBe(false);
    expect(updateAllowed(undefined, 'attendance')).toBe(false);
  });

  it('offers the victim’s own language for the feedback page, saying when it will be in English', () => {
    const items = surveyLanguageItems('pl', '');
    expect(items.map((i) => i.value)).toEqual(['pl', 'en', 'cy']);
    expect(items[0]).toMatchObject({ text: 'Polish (the page will be in English)', checked: true });
  });

  it('shows the victim’s answers in English', () => {
    const [view] = responseViews([{ id: 'r', language: 'cy', answers: { safety: 'much_safer', change: 'worse', support: 'no' }, comments: '', submittedAt: new Date('2026-03-02T10:00:00Z') }]);
    expect(view!.rows.map((r) => r.value.text)).toEqual(['Much safer', 'Yes, for the worse', 'No', 'Nothing']);
  });

  it('a feedback link is open until it is used or expires', () => {
    const expiresAt = new Date('2026-03-30T10:00:00Z');
    expect(surveyLinkState({ usedAt: null, expiresAt }, new Date('2026-03-30T09:59:59Z'))).toBe('open');
    expect(surveyLinkState({ usedAt: null, expiresAt }, expiresAt)).toBe('expired');
    expect(surveyLinkState({ usedAt: new Date('2026-03-03T10:00:00Z'), expiresAt }, new Date('2026-03-04T10:00:00Z'))).toBe('used');
  });
});
