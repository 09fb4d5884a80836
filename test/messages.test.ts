import { describe, expect, it } from 'vitest';
import { compileLanguage, catalogue, placeholdersOf, readLanguageFile } from '../src/features/messages/catalogue.ts';
import { MESSAGE_LANGUAGES, languageInfo, messageLanguageFor } from '../src/features/messages/languages.ts';
import { deliveryFor, participantChannels } from '../src/features/messages/outbox.ts';
import { TemplateVariableError, renderLetterLines, renderMessage } from '../src/features/messages/render.ts';
import { SAMPLE_VARIABLES, sampleVariations } from '../src/features/messages/samples.ts';
import { TEMPLATES, TEMPLATE_NAMES, channelsAllowed, messageKeys, type TemplateVariables } from '../src/features/messages/templates.ts';
import { victimStageOf, victimUpdateChannel, type VictimContactFacts } from '../src/features/messages/victim-updates.ts';

describe('message templates in twelve languages', () => {
  it('has a file for each of the twelve languages, each with exactly the keys every language needs', () => {
    expect(MESSAGE_LANGUAGES.map((l) => l.code)).toEqual(['en', 'cy', 'pl', 'pa', 'ur', 'bn', 'ar', 'ro', 'pt', 'lt', 'so', 'gu']);
    for (const { code } of MESSAGE_LANGUAGES) {
      const file = readLanguageFile(code);
      expect(Object.keys(file.messages).sort(), code).toEqual([...messageKeys()].sort());
      expect(typeof file.reviewedByTranslator, code).toBe('boolean');
    }
    expect(readLanguageFile('en').reviewedByTranslator).toBe(true);
  });

  it('uses in every language exactly the placeholders of the English wording, message by message', () => {
    const english = catalogue().get('en')!;
    const differences: string[] = [];
    for (const [code, language] of catalogue()) {
      for (const key of messageKeys()) {
        const expected = placeholdersOf(english.messages.get(key)!);
        const actual = placeholdersOf(language.messages.get(key)!);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${code} ${key}: ${actual.join(' ')} (English: ${expected.join(' ')})`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('uses every variable of each template in the English email and letter wording', () => {
    const english = catalogue().get('en')!;
    for (const name of TEMPLATE_NAMES) {
      const used = new Set([...placeholdersOf(english.messages.get(`${name}.subject`)!), ...placeholdersOf(english.messages.get(`${name}.body`)!)].map((p) => p.split(':')[0]));
      expect([...used].sort(), name).toEqual(Object.keys(TEMPLATES[name].variables).sort());
    }
  });

  it('renders every template in every language, by every channel it may go by, with every variable and every choice filled', () => {
    let rendered = 0;
    for (const { code } of MESSAGE_LANGUAGES) {
      for (const template of TEMPLATE_NAMES) {
        for (const variables of sampleVariations(template)) {
          for (const channel of channelsAllowed(template)) {
            const message = renderMessage({ template, channel, language: code, variables: variables as TemplateVariables<typeof template> });
            const words = `${message.subject ?? ''}\n${message.body}`;
            expect(words, `${code} ${template} ${channel}`).not.toMatch(/[{}]/);
            expect(message.body.trim().length, `${code} ${template} ${channel}`).toBeGreaterThan(20);
            if (channel === 'sms') expect(message.subject).toBeNull();
            else expect(message.subject!.length).toBeGreaterThan(5);
            if (template !== 'victim_update' && channel !== 'sms') expect(words, `${code} ${template}`).toContain((variables as { firstName: string }).firstName);
            rendered += 1;
          }
        }
      }
      const letter = renderLetterLines(code, { reference: 'CARA-1234ABCD', printedOn: '2026-07-01T12:00:00Z' });
      expect(letter.reference).toContain('CARA-1234ABCD');
      expect(letter.date).not.toMatch(/[{}]/);
    }
    expect(rendered).toBeGreaterThan(12 * 6 * 2);
  });

  it('writes dates and times on the clock in England, in the reader’s language, either side of a clock change', () => {
    const summer = renderMessage({ template: 'reminder', channel: 'sms', language: 'en', variables: { ...SAMPLE_VARIABLES.reminder, start: '2026-07-11T09:00:00.000Z', end: '2026-07-11T14:00:00.000Z' } });
    expect(summer.body).toContain('Saturday, 11 July 2026 at 10:00');
    const winter = renderMessage({ template: 'reminder', channel: 'sms', language: 'en', variables: { ...SAMPLE_VARIABLES.reminder, start: '2026-01-10T10:00:00.000Z', end: '2026-01-10T15:00:00.000Z', daysBefore: 1 } });
    expect(winter.body).toContain('tomorrow, Saturday, 10 January 2026 at 10:00');
    expect(renderMessage({ template: 'reminder', channel: 'sms', language: 'cy', variables: { ...SAMPLE_VARIABLES.reminder, start: '2026-07-11T09:00:00.000Z' } }).body).toContain('Dydd Sadwrn, 11 Gorffennaf 2026');
    expect(renderMessage({ template: 'reminder', channel: 'sms', language: 'pl', variables: { ...SAMPLE_VARIABLES.reminder, start: '2026-07-11T09:00:00.000Z' } }).body).toContain('sobota, 11 lipca 2026');
    expect(renderMessage({ template: 'reminder', channel: 'sms', language: 'ar', variables: { ...SAMPLE_VARIABLES.reminder, start: '2026-07-11T09:00:00.000Z' } }).body).toContain('يوليو');
    // A calendar date is the same date in England whatever the time of year.
    expect(renderMessage({ template: 'breach_warning', channel: 'sms', language: 'en', variables: { ...SAMPLE_VARIABLES.breach_warning, completeBy: '2026-03-29' } }).body).toContain('29 March 2026');
  });

  it('refuses a message with a variable missing, of the wrong kind, or not the template’s', () => {
    const { venueName: _venueName, ...missing } = SAMPLE_VARIABLES.invitation;
    expect(() => renderMessage({ template: 'invitation', channel: 'email', language: 'en', variables: missing as TemplateVariables<'invitation'> })).toThrow(TemplateVariableError);
    expect(() => renderMessage({ template: 'reminder', channel: 'sms', language: 'en', variables: { ...SAMPLE_VARIABLES.reminder, daysBefore: 3 as 7 } })).toThrow(/daysBefore/);
    expect(() => renderMessage({ template: 'completion', channel: 'sms', language: 'en', variables: { ...SAMPLE_VARIABLES.completion, victimName: 'Alex' } as TemplateVariables<'completion'> })).toThrow(/victimName/);
  });

  it('stops start-up when a language file lacks a key or has one it should not', () => {
    const file = readLanguageFile('pl');
    const { 'reminder.sms': _dropped, ...messages } = file.messages;
    expect(() => compileLanguage('pl', { ...file, messages })).toThrow(/templates\/pl\.json: missing reminder\.sms/);
    expect(() => compileLanguage('pl', { ...file, messages: { ...file.messages, 'invitation.extra': 'x' } })).toThrow(/unknown invitation\.extra/);
    expect(() => compileLanguage('pl', { ...file, messages: { ...file.messages, 'invitation.sms': 'Part {partAStart, date' } })).toThrow(/invitation\.sms/);
  });

  it('writes Arabic and Urdu right to left, and uses English for a language it does not write', () => {
    expect(MESSAGE_LANGUAGES.filter((l) => l.direction === 'rtl').map((l) => l.code)).toEqual(['ur', 'ar']);
    expect(renderMessage({ template: 'completion', channel: 'letter', language: 'ur', variables: SAMPLE_VARIABLES.completion }).direction).toBe('rtl');
    expect(languageInfo('cy').locale).toBe('cy-GB');
    expect(messageLanguageFor('AR')).toBe('ar');
    expect(messageLanguageFor('ti')).toBe('en');
    expect(messageLanguageFor(null)).toBe('en');
  });

  it('never lets a victim be sent a letter', () => {
    expect(channelsAllowed('victim_update')).toEqual(['sms', 'email']);
    expect(channelsAllowed('invitation')).toEqual(['sms', 'email', 'letter']);
  });
});

describe('who gets which message, and how', () => {
  const address = { line1: '1 High Street', town: 'Exeter', postcode: 'EX1 1AA' };

  it('sends an invitation by every way the person has, and always by post when there is an address', () => {
    expect(participantChannels('invitation', { phone: '07700900123', email: 'sam@example.org', address })).toEqual(['sms', 'email', 'letter']);
    expect(participantChannels('invitation', { phone: '07700900123', email: null, address: null })).toEqual(['sms']);
    expect(participantChannels('breach_warning', { phone: null, email: null, address })).toEqual(['letter']);
  });

  it('sends reminders only by text message and email, and completion by post only when there is no other way', () => {
    expect(participantChannels('reminder', { phone: '07700900123', email: null, address })).toEqual(['sms']);
    expect(participantChannels('reminder', { phone: null, email: null, address })).toEqual([]);
    expect(participantChannels('completion', { phone: '07700900123', email: null, address })).toEqual(['sms']);
    expect(participantChannels('completion', { phone: ' ', email: null, address })).toEqual(['letter']);
  });

  it('says the workshops are in the person’s language, with an interpreter, or in English', () => {
    expect(deliveryFor({ language: 'pl', interpreterLanguages: [] }, { preferredLanguage: 'pl', interpreterNeeded: false })).toBe('language');
    expect(deliveryFor({ language: 'en', interpreterLanguages: ['ar'] }, { preferredLanguage: 'ar', interpreterNeeded: false })).toBe('interpreter');
    expect(deliveryFor({ language: 'en', interpreterLanguages: [] }, { preferredLanguage: 'en', interpreterNeeded: true })).toBe('interpreter');
    expect(deliveryFor({ language: 'en', interpreterLanguages: [] }, { preferredLanguage: 'en', interpreterNeeded: false })).toBe('english');
  });

  describe('updates to the victim', () => {
    const consenting: VictimContactFacts = {
      consent: { wantsAttendanceUpdates: true, wantsOutcomeUpdates: false, channel: 'sms' },
      safeToContact: true,
      safeChannels: ['sms', 'phone'],
      hasPhone: true,
      hasEmail: false,
    };

    it('go only as the victim agreed, by their chosen channel, if it is one of their safe ways', () => {
      expect(victimUpdateChannel(consenting, 'attendance')).toEqual({ ok: true, channel: 'sms' });
      expect(victimUpdateChannel(consenting, 'outcome')).toMatchObject({ ok: false, reason: expect.stringContaining('not agreed') });
      expect(victimUpdateChannel({ ...consenting, consent: undefined }, 'attendance')).toMatchObject({ ok: false });
      expect(victimUpdateChannel({ ...consenting, safeChannels: ['phone'] }, 'attendance')).toMatchObject({ ok: false, reason: expect.stringContaining('safe ways') });
      expect(victimUpdateChannel({ ...consenting, safeToContact: false }, 'attendance')).toMatchObject({ ok: false });
      expect(victimUpdateChannel({ ...consenting, hasPhone: false }, 'attendance')).toMatchObject({ ok: false, reason: expect.stringContaining('no phone number') });
    });

    it('never go by post, and a phone call is the support worker’s, not a message', () => {
      expect(victimUpdateChannel({ ...consenting, consent: { ...consenting.consent!, channel: 'letter' } }, 'attendance')).toMatchObject({ ok: false, reason: expect.stringContaining('never sent by post') });
      expect(victimUpdateChannel({ ...consenting, consent: { ...consenting.consent!, channel: 'phone' } }, 'attendance')).toMatchObject({ ok: false });
    });

    it('say only where the case has got to', () => {
      expect(victimStageOf('accepted', false)).toBeUndefined();
      expect(victimStageOf('rebooked', false)).toBe('booked');
      expect(victimStageOf('non_compliant', false)).toBe('not_completed');
      expect(victimStageOf('closed', true)).toBe('completed');
      expect(victimStageOf('closed', false)).toBe('referred_to_police');
    });
  });
});
