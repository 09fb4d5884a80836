/**
 * The messages CARA sends and the variables each one is written with. The wording, one file per
 * language, is in `templates/<code>.json` (ICU MessageFormat); this module says what every language
 * must provide and what each variable is, so rendering can check a message before it is sent.
 */

/** Who a message is for. A participant's message never carries victim data, nor the reverse. */
export type Recipient = 'participant' | 'victim';
export type Channel = 'sms' | 'email' | 'letter';

/** How a variable is stored in the outbox (JSON) and turned into text in the reader's language. */
export type VariableKind =
  /** Plain text, e.g. a name or an address. */
  | { kind: 'text' }
  /** An instant (ISO 8601), shown as a date or time on the clock in England. */
  | { kind: 'instant' }
  /** A calendar date (`YYYY-MM-DD`). */
  | { kind: 'date' }
  | { kind: 'number'; values: readonly number[] }
  /** One of a few words the template chooses between (ICU `select`). */
  | { kind: 'choice'; options: readonly string[] };

const text = { kind: 'text' } as const;
const instant = { kind: 'instant' } as const;
const date = { kind: 'date' } as const;
const choice = <const T extends readonly string[]>(...options: T) => ({ kind: 'choice', options }) as const;

/** Whether and how the workshops are given in the reader's language. */
export const DELIVERY = choice('language', 'interpreter', 'english');
const sessionDates = { partAStart: instant, partAEnd: instant, partBStart: instant, partBEnd: instant } as const;
const venue = { venueName: text, venueAddress: text } as const;

/** Every message, who it may go to, and its variables. */
export const TEMPLATES = {
  invitation: { recipient: 'participant', label: 'Workshop invitation', variables: { firstName: text, ...sessionDates, ...venue, delivery: DELIVERY, areaName: text } },
  reminder: {
    recipient: 'participant',
    label: 'Workshop reminder',
    variables: { firstName: text, part: choice('A', 'B'), daysBefore: { kind: 'number', values: [7, 1] }, start: instant, end: instant, ...venue, areaName: text },
  },
  rebooking: { recipient: 'participant', label: 'New workshop dates (rebooked)', variables: { firstName: text, ...sessionDates, ...venue, delivery: DELIVERY, areaName: text } },
  breach_warning: { recipient: 'participant', label: 'Warning: last chance to complete', variables: { firstName: text, partAStart: instant, partBStart: instant, completeBy: date, areaName: text } },
  completion: { recipient: 'participant', label: 'Completion', variables: { firstName: text, completedOn: date, hasSignposts: choice('yes', 'no'), signposts: text, areaName: text } },
  victim_update: {
    recipient: 'victim',
    label: 'Update for the victim',
    variables: { firstName: text, stage: choice('booked', 'part_a_attended', 'completed', 'not_completed', 'referred_to_police'), areaName: text },
  },
} as const satisfies Record<string, { recipient: Recipient; label: string; variables: Record<string, VariableKind> }>;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

type ValueOf<K> = K extends { kind: 'choice'; options: readonly (infer O)[] } ? O : K extends { kind: 'number' } ? number : string;

/** The variables a template is written with, as stored in the outbox (instants as ISO 8601 text). */
export type TemplateVariables<T extends TemplateName> = { [V in keyof (typeof TEMPLATES)[T]['variables']]: ValueOf<(typeof TEMPLATES)[T]['variables'][V]> };

/**
 * Variables filled at delivery from the recipient's own record (so a victim's name is never stored
 * in the clear in the outbox): everything else is stored with the message when it is queued.
 */
export const RECIPIENT_VARIABLES = ['firstName'] as const;
export type RecipientVariable = (typeof RECIPIENT_VARIABLES)[number];

/** What the outbox stores for a message: its variables less those filled from the recipient's record. */
export type StoredVariables<T extends TemplateName> = Omit<TemplateVariables<T>, RecipientVariable>;

/** What every letter carries besides its message: our reference and the date it was printed. */
export const LETTER_VARIABLES = { reference: text, printedOn: instant } as const;

/**
 * The keys every language file must have: for each message a subject (email and letter), a body
 * (email and letter) and a text message; victims get no letters (the offender may see the post).
 */
export function messageKeys(): string[] {
  return [...TEMPLATE_NAMES.flatMap((name) => [`${name}.subject`, `${name}.body`, `${name}.sms`]), 'letter.reference', 'letter.date'];
}

/** The key of a template's wording for a channel. */
export function keyFor(template: TemplateName, channel: Channel, part: 'subject' | 'body'): string {
  if (channel === 'sms') return `${template}.sms`;
  return `${template}.${part}`;
}

export function isTemplateName(value: string): value is TemplateName {
  return Object.hasOwn(TEMPLATES, value);
}

/** The channels a recipient may ever be sent a template by. */
export function channelsAllowed(template: TemplateName): readonly Channel[] {
  return TEMPLATES[template].recipient === 'victim' ? ['sms', 'email'] : ['sms', 'email', 'letter'];
}
