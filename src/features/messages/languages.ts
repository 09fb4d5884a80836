/**
 * The twelve languages CARA sends messages in. A person whose preferred language is not one of them
 * gets English (and their coordinator arranges an interpreter, as for the workshops).
 */
export const MESSAGE_LANGUAGES = [
  { code: 'en', name: 'English', nativeName: 'English', direction: 'ltr', locale: 'en-GB' },
  { code: 'cy', name: 'Welsh', nativeName: 'Cymraeg', direction: 'ltr', locale: 'cy-GB' },
  { code: 'pl', name: 'Polish', nativeName: 'Polski', direction: 'ltr', locale: 'pl' },
  { code: 'pa', name: 'Punjabi', nativeName: 'ਪੰਜਾਬੀ', direction: 'ltr', locale: 'pa' },
  { code: 'ur', name: 'Urdu', nativeName: 'اردو', direction: 'rtl', locale: 'ur' },
  { code: 'bn', name: 'Bengali', nativeName: 'বাংলা', direction: 'ltr', locale: 'bn' },
  { code: 'ar', name: 'Arabic', nativeName: 'العربية', direction: 'rtl', locale: 'ar' },
  { code: 'ro', name: 'Romanian', nativeName: 'Română', direction: 'ltr', locale: 'ro' },
  { code: 'pt', name: 'Portuguese', nativeName: 'Português', direction: 'ltr', locale: 'pt-PT' },
  { code: 'lt', name: 'Lithuanian', nativeName: 'Lietuvių', direction: 'ltr', locale: 'lt' },
  { code: 'so', name: 'Somali', nativeName: 'Soomaali', direction: 'ltr', locale: 'so' },
  { code: 'gu', name: 'Gujarati', nativeName: 'ગુજરાતી', direction: 'ltr', locale: 'gu' },
] as const satisfies readonly MessageLanguageInfo[];

export interface MessageLanguageInfo {
  /** ISO 639-1, as referrals carry it. */
  code: string;
  /** The language's name in English (what coordinators read). */
  name: string;
  /** The language's name in itself. */
  nativeName: string;
  direction: 'ltr' | 'rtl';
  /** The locale dates and times are written in (Intl), always on the clock in England. */
  locale: string;
}

export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number]['code'];

const BY_CODE = new Map<string, MessageLanguageInfo>(MESSAGE_LANGUAGES.map((l) => [l.code, l]));

export function isMessageLanguage(code: string): code is MessageLanguage {
  return BY_CODE.has(code);
}

/** The language a person's messages are written in: their preferred one if CARA writes in it, else English. */
export function messageLanguageFor(preferred: string | null | undefined): MessageLanguage {
  const code = (preferred ?? '').trim().toLowerCase();
  return isMessageLanguage(code) ? code : 'en';
}

/** Name, direction and locale of one of the twelve languages. */
export function languageInfo(code: MessageLanguage): MessageLanguageInfo {
  return BY_CODE.get(code)!;
}
