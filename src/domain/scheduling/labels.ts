/** Words for scheduling messages: languages, groups and people, as a coordinator reads them. */
import type { Sex } from './types.ts';

/**
 * Codes that mean the same language, written the way this service stores it:
 * `bsl` for British Sign Language (`bfi` is its ISO 639-3 code).
 */
const LANGUAGE_ALIASES: ReadonlyMap<string, string> = new Map([['bfi', 'bsl']]);

/** Names Intl does not know (it falls back to the code for sign languages). */
const LANGUAGE_NAMES: ReadonlyMap<string, string> = new Map([
  ['bsl', 'British Sign Language'],
  ['sgn', 'sign language'],
  ['ise', 'Irish Sign Language'],
]);

const DISPLAY_NAMES = new Intl.DisplayNames(['en-GB'], { type: 'language', fallback: 'code' });

/** The code as this service compares it: lower case, with aliases resolved (`BFI` → `bsl`). */
export function canonicalLanguage(code: string): string {
  const lower = code.trim().toLowerCase();
  return LANGUAGE_ALIASES.get(lower) ?? lower;
}

/** True when two codes name the same language. */
export function sameLanguage(a: string, b: string): boolean {
  return a === b || canonicalLanguage(a) === canonicalLanguage(b);
}

/** Names already looked up: Intl is slow, and a placement proposal names the same few languages many times. */
const namesLookedUp = new Map<string, string>();

/** `Polish`, `British Sign Language`; an unknown code is shown as given, e.g. `xx`. */
export function languageName(code: string): string {
  let name = namesLookedUp.get(code);
  if (name === undefined) {
    name = lookUpLanguageName(code);
    if (namesLookedUp.size < 1_000) namesLookedUp.set(code, name);
  }
  return name;
}

function lookUpLanguageName(code: string): string {
  const canonical = canonicalLanguage(code);
  const known = LANGUAGE_NAMES.get(canonical);
  if (known) return known;
  try {
    return DISPLAY_NAMES.of(canonical) ?? code;
  } catch {
    return code; // not a well-formed language tag
  }
}

const GROUP_NAMES: Readonly<Record<Sex, string>> = { male: "men's group", female: "women's group" };
const PERSON_NAMES: Readonly<Record<Sex, string>> = { male: 'a man', female: 'a woman' };

/** `men's group` or `women's group`. */
export function groupName(sex: Sex): string {
  return GROUP_NAMES[sex];
}

/** `a man` or `a woman`. */
export function personName(sex: Sex): string {
  return PERSON_NAMES[sex];
}

/** `a Polish interpreter`, `an Urdu interpreter`. */
export function withArticle(phrase: string): string {
  return /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** `1 day`, `27 days`. */
export function days(count: number): string {
  return Math.abs(count) === 1 ? `${count} day` : `${count} days`;
}
