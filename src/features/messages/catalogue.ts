/**
 * The wording of every message in every language: `templates/<code>.json`, ICU MessageFormat,
 * read and compiled once when the service starts. A language file that lacks a key, has one too
 * many, or does not parse stops start-up (and fails the tests) rather than a message at send time.
 */
import { readFileSync } from 'node:fs';
import IntlMessageFormat from 'intl-messageformat';
import { MESSAGE_LANGUAGES, languageInfo, type MessageLanguage, type MessageLanguageInfo } from './languages.ts';
import { messageKeys } from './templates.ts';

/** One language's file, as stored. */
export interface LanguageFile {
  language: string;
  /** True only once a professional translator has reviewed the wording; coordinators are shown which are not. */
  reviewedByTranslator: boolean;
  messages: Record<string, string>;
}

/** A language's compiled wording. */
export interface LanguageCatalogue {
  info: MessageLanguageInfo;
  reviewedByTranslator: boolean;
  messages: Map<string, IntlMessageFormat>;
  /** The wording as written, for the placeholder checks. */
  source: Record<string, string>;
}

/**
 * Dates and times are always on the clock in England (whatever the server's zone), written the way
 * the reader's language writes them. Templates use the standard ICU styles: `{start, date, full}`,
 * `{start, date, long}`, `{start, time, short}`.
 */
const LONDON = 'Europe/London';
const FORMATS = {
  date: {
    short: { timeZone: LONDON, day: 'numeric', month: 'numeric', year: 'numeric' },
    medium: { timeZone: LONDON, day: 'numeric', month: 'short', year: 'numeric' },
    long: { timeZone: LONDON, day: 'numeric', month: 'long', year: 'numeric' },
    full: { timeZone: LONDON, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  },
  time: {
    short: { timeZone: LONDON, hour: 'numeric', minute: '2-digit' },
    medium: { timeZone: LONDON, hour: 'numeric', minute: '2-digit' },
    long: { timeZone: LONDON, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
    full: { timeZone: LONDON, hour: 'numeric', minute: '2-digit', timeZoneName: 'long' },
  },
} satisfies { date: Record<string, Intl.DateTimeFormatOptions>; time: Record<string, Intl.DateTimeFormatOptions> };

const templatesDirectory = new URL('./templates/', import.meta.url);

/** Reads one language's file (throws naming the file if it is not valid JSON of the right shape). */
export function readLanguageFile(code: string): LanguageFile {
  const file = new URL(`${code}.json`, templatesDirectory);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LanguageFile>;
  if (parsed.language !== code || typeof parsed.reviewedByTranslator !== 'boolean' || typeof parsed.messages !== 'object' || parsed.messages === null) {
    throw new Error(`templates/${code}.json must have "language": "${code}", "reviewedByTranslator" (true or false) and "messages"`);
  }
  return parsed as LanguageFile;
}

/** Compiles one language's file, checking it has exactly the keys every language must have. */
export function compileLanguage(code: MessageLanguage, file: LanguageFile = readLanguageFile(code)): LanguageCatalogue {
  const info = languageInfo(code);
  const expected = messageKeys();
  const missing = expected.filter((key) => typeof file.messages[key] !== 'string');
  const extra = Object.keys(file.messages).filter((key) => !expected.includes(key));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`templates/${code}.json: ${[missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `unknown ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}`);
  }
  const messages = new Map<string, IntlMessageFormat>();
  for (const key of expected) {
    try {
      messages.set(key, new IntlMessageFormat(file.messages[key]!, info.locale, FORMATS, { ignoreTag: true }));
    } catch (error) {
      throw new Error(`templates/${code}.json, ${key}: ${(error as Error).message}`, { cause: error });
    }
  }
  return { info, reviewedByTranslator: code === 'en' ? true : file.reviewedByTranslator, messages, source: file.messages };
}

let loaded: Map<MessageLanguage, LanguageCatalogue> | undefined;

/** Every language's compiled wording (read from disk the first time). */
export function catalogue(): Map<MessageLanguage, LanguageCatalogue> {
  loaded ??= new Map(MESSAGE_LANGUAGES.map((l) => [l.code, compileLanguage(l.code)]));
  return loaded;
}

/** Whether a professional translator has reviewed a language's wording (English is the original). */
export function reviewedByTranslator(code: MessageLanguage): boolean {
  return catalogue().get(code)!.reviewedByTranslator;
}

/** An argument a message uses, and how: `firstName:argument`, `start:date`, `part:select`. */
export type Placeholder = `${string}:${string}`;

const ELEMENT_KINDS: Record<number, string> = { 1: 'argument', 2: 'number', 3: 'date', 4: 'time', 5: 'select', 6: 'plural' };

interface AstElement {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstElement[] }>;
  children?: AstElement[];
}

/**
 * The placeholders a message uses, sorted and without repeats (inside plural and select branches
 * too). Two languages' versions of a message must use the same ones.
 */
export function placeholdersOf(message: IntlMessageFormat): Placeholder[] {
  const found = new Set<Placeholder>();
  const walk = (elements: readonly AstElement[]) => {
    for (const element of elements) {
      const kind = ELEMENT_KINDS[element.type];
      if (kind && typeof element.value === 'string') found.add(`${element.value}:${kind}`);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(message.getAst() as unknown as AstElement[]);
  return [...found].sort();
}
