/** The clocks a referral runs against, counted from the disposal date. */
import { addDays, type IsoDate } from '../dates.ts';
import type { AreaPolicy } from './policy.ts';

export interface ReferralDeadlines {
  /** The provider should have contacted the offender by this date. */
  contactBy: IsoDate;
  /** The offender must have completed the programme by this date. */
  completeBy: IsoDate;
}

/**
 * The referral's deadlines: `contactBy` is the disposal date plus the area's
 * contact SLA, `completeBy` the disposal date plus its completion limit.
 */
export function referralDeadlines(
  disposalDate: IsoDate,
  policy: Pick<AreaPolicy, 'contactSlaDays' | 'completionDays'>,
): ReferralDeadlines {
  return {
    contactBy: addDays(disposalDate, policy.contactSlaDays),
    completeBy: addDays(disposalDate, policy.completionDays),
  };
}
