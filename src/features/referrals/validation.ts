import { Ajv } from 'ajv';
import { findReferralDateErrors } from '../../domain/eligibility/consistency.ts';
import type { ReferralFacts } from '../../domain/eligibility/types.ts';
import { todayInLondon } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { fieldErrorsFromValidation } from '../../web/errors.ts';
import { ReferralBody, type ReferralBodyInput } from './schema.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateBody = ajv.compile<ReferralBodyInput>(ReferralBody);

/** Friendlier words for the fields whose format is checked by a pattern. */
const PATTERN_MESSAGES: [RegExp, string][] = [
  [/preferredLanguage$/, 'must be a two-letter ISO 639-1 language code, like en or pl'],
  [/email$/, 'must be an email address, like name@example.org'],
  [/phone$/, 'must be a phone number of 6 to 20 digits, like 07700900123'],
  [/postcode$/, 'must be a UK postcode, like EX1 1AA'],
  [/homeOfficeCode$/, 'must be a Home Office offence code, like 105/01'],
];

/**
 * Checks a referral from any channel (API, web form, CSV import) against the contract: every wrong
 * field is named, and dates must be real and consistent (no future disposal, no offence after it).
 */
export function validateReferral(body: unknown, now: Date): { ok: true; facts: ReferralFacts } | { ok: false; errors: FieldErrors } {
  if (!validateBody(body)) {
    const errors = fieldErrorsFromValidation(validateBody.errors ?? [], '', (field, issue) =>
      issue.keyword === 'pattern' ? PATTERN_MESSAGES.find(([pattern]) => pattern.test(field))?.[1] : undefined,
    );
    return { ok: false, errors };
  }
  const facts: ReferralFacts = {
    ...body,
    referringOfficer: { ...body.referringOfficer },
    disposal: { ...body.disposal },
    offender: {
      ...body.offender,
      interpreterNeeded: body.offender.interpreterNeeded ?? false,
      accessibilityNeeds: body.offender.accessibilityNeeds ?? '',
      phone: body.offender.phone ?? null,
      email: body.offender.email ?? null,
      address: { ...body.offender.address, postcode: body.offender.address.postcode.toUpperCase() },
    },
    victim: {
      ...body.victim,
      phone: body.victim.phone ?? null,
      email: body.victim.email ?? null,
      contactNotes: body.victim.contactNotes ?? '',
      preferredLanguage: body.victim.preferredLanguage ?? 'en',
    },
    offences: body.offences.map((o) => ({ ...o })),
    priorViolence: (body.priorViolence ?? []).map((p) => ({ ...p })),
  } as ReferralFacts;
  const dateErrors = findReferralDateErrors(facts, todayInLondon(now));
  if (Object.keys(dateErrors).length > 0) return { ok: false, errors: dateErrors };
  return { ok: true, facts };
}
