/**
 * Date checks that make a referral malformed (API.md: refused with 422, never
 * decided): dates that are not real, a disposal in the future, an offence after
 * its disposal, and the like.
 */
import { compareDates, earliestDate, formatDateInWords, isIsoDate, type IsoDate } from '../dates.ts';
import type { ReferralFacts } from './types.ts';

const NOT_A_DATE = 'Enter a real date written as YYYY-MM-DD, such as 2025-11-03';

/**
 * Every date problem in a referral, keyed by field path (e.g.
 * `offences[1].date`), given today's date in London. Empty when the dates are
 * consistent, in which case the eligibility rules can be applied.
 */
export function findReferralDateErrors(facts: ReferralFacts, today: IsoDate): Record<string, string> {
  const errors: Record<string, string> = {};
  const realDate = (path: string, value: unknown): value is IsoDate => {
    if (isIsoDate(value)) return true;
    errors[path] = NOT_A_DATE;
    return false;
  };

  const disposalDate = facts.disposal.date;
  const disposalIsReal = realDate('disposal.date', disposalDate);
  if (disposalIsReal && compareDates(disposalDate, today) > 0) {
    errors['disposal.date'] = `The disposal date, ${formatDateInWords(disposalDate)}, is in the future`;
  }

  const offenceDates: IsoDate[] = [];
  if (facts.offences.length === 0) errors['offences'] = 'List at least one offence';
  facts.offences.forEach((offence, index) => {
    const path = `offences[${index}].date`;
    if (!realDate(path, offence.date)) return;
    offenceDates.push(offence.date);
    if (disposalIsReal && compareDates(offence.date, disposalDate) > 0) {
      errors[path] =
        `The offence date, ${formatDateInWords(offence.date)}, is after the disposal date, ${formatDateInWords(disposalDate)}`;
    }
  });

  const dateOfBirth = facts.offender.dateOfBirth;
  const [firstOffence, ...otherOffences] = offenceDates;
  if (realDate('offender.dateOfBirth', dateOfBirth)) {
    if (compareDates(dateOfBirth, today) > 0) {
      errors['offender.dateOfBirth'] = `The date of birth, ${formatDateInWords(dateOfBirth)}, is in the future`;
    } else if (firstOffence !== undefined && compareDates(dateOfBirth, earliestDate(firstOffence, ...otherOffences)) > 0) {
      errors['offender.dateOfBirth'] = `The date of birth, ${formatDateInWords(dateOfBirth)}, is after the offence date`;
    }
  }

  facts.priorViolence.forEach((record, index) => {
    const path = `priorViolence[${index}].date`;
    if (realDate(path, record.date) && compareDates(record.date, today) > 0) {
      errors[path] = `The ${record.kind} date, ${formatDateInWords(record.date)}, is in the future`;
    }
  });

  return errors;
}
