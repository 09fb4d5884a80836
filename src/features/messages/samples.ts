/**
 * Example variables for every template, each variable filled: used to check every language renders
 * every message (tests) and to show how a language reads.
 */
import type { TemplateName, TemplateVariables } from './templates.ts';

const partA = { partAStart: '2026-07-11T09:00:00.000Z', partAEnd: '2026-07-11T14:00:00.000Z' };
const partB = { partBStart: '2026-08-08T09:00:00.000Z', partBEnd: '2026-08-08T14:00:00.000Z' };
const venue = { venueName: 'Exeter Community Centre', venueAddress: '2 Market Street, Exeter EX1 1BB' };

export const SAMPLE_VARIABLES: { [T in TemplateName]: TemplateVariables<T> } = {
  invitation: { firstName: 'Sam', ...partA, ...partB, ...venue, delivery: 'interpreter', areaName: 'Devon and Cornwall' },
  reminder: { firstName: 'Sam', part: 'B', daysBefore: 7, start: partB.partBStart, end: partB.partBEnd, ...venue, areaName: 'Devon and Cornwall' },
  rebooking: { firstName: 'Sam', ...partA, ...partB, ...venue, delivery: 'language', areaName: 'Devon and Cornwall' },
  breach_warning: { firstName: 'Sam', partAStart: partA.partAStart, partBStart: partB.partBStart, completeBy: '2026-10-30', areaName: 'Devon and Cornwall' },
  completion: { firstName: 'Sam', completedOn: '2026-08-08', hasSignposts: 'yes', signposts: 'Building Better Relationships, Together Drug and Alcohol Service', areaName: 'Devon and Cornwall' },
  victim_update: { firstName: 'Alex', stage: 'part_a_attended', areaName: 'Devon and Cornwall' },
};

/** Every value each choice or number variable can take, so each branch of a select or plural is rendered. */
export function sampleVariations<T extends TemplateName>(template: T): TemplateVariables<T>[] {
  const base = SAMPLE_VARIABLES[template] as Record<string, unknown>;
  const variations: Record<string, unknown>[] = [base];
  const choices: Record<string, readonly (string | number)[]> = {
    delivery: ['language', 'interpreter', 'english'],
    part: ['A', 'B'],
    daysBefore: [7, 1],
    hasSignposts: ['yes', 'no'],
    stage: ['booked', 'part_a_attended', 'completed', 'not_completed', 'referred_to_police'],
  };
  for (const [name, values] of Object.entries(choices)) {
    if (!(name in base)) continue;
    for (const value of values) if (value !== base[name]) variations.push({ ...base, [name]: value });
  }
  return variations as TemplateVariables<T>[];
}
