/**
 * Turns a template, a language and the message's variables into the words sent: the subject and
 * body of an email or letter, or a text message. Pure: no clock, no database.
 */
import type { PrimitiveType } from 'intl-messageformat';
import { catalogue } from './catalogue.ts';
import { languageInfo, type MessageLanguage } from './languages.ts';
import { LETTER_VARIABLES, TEMPLATES, keyFor, type Channel, type TemplateName, type TemplateVariables, type VariableKind } from './templates.ts';

export interface RenderedMessage {
  /** Null for a text message. */
  subject: string | null;
  /** Paragraphs separated by a blank line. */
  body: string;
  language: MessageLanguage;
  direction: 'ltr' | 'rtl';
}

/** A variable missing, of the wrong kind, or not the template's: a programming error, thrown. */
export class TemplateVariableError extends Error {}

function valueOf(name: string, kind: VariableKind, raw: unknown): PrimitiveType {
  switch (kind.kind) {
    case 'text':
      if (typeof raw !== 'string') throw new TemplateVariableError(`${name} must be text`);
      return raw;
    case 'instant': {
      const instant = typeof raw === 'string' ? new Date(raw) : raw;
      if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new TemplateVariableError(`${name} must be an instant (ISO 8601)`);
      return instant;
    }
    case 'date':
      // Noon UTC is the same calendar date on the clock in England, summer or winter.
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new TemplateVariableError(`${name} must be a date (YYYY-MM-DD)`);
      return new Date(`${raw}T12:00:00Z`);
    case 'number':
      if (typeof raw !== 'number' || !kind.values.includes(raw)) throw new TemplateVariableError(`${name} must be one of ${kind.values.join(', ')}`);
      return raw;
    case 'choice':
      if (typeof raw !== 'string' || !kind.options.includes(raw)) throw new TemplateVariableError(`${name} must be one of ${kind.options.join(', ')}`);
      return raw;
  }
}

/** Checks every declared variable is given (and nothing else), and converts each for formatting. */
function formatValues(declared: Record<string, VariableKind>, given: Record<string, unknown>, what: string): Record<string, PrimitiveType> {
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length > 0) throw new TemplateVariableError(`${what} has no variable ${unknown.join(', ')}`);
  return Object.fromEntries(
    Object.entries(declared).map(([name, kind]) => {
      if (given[name] === undefined || given[name] === null) throw new TemplateVariableError(`${what} needs ${name}`);
      return [name, valueOf(name, kind, given[name])];
    }),
  );
}

/** Blank lines left by an empty select branch go; paragraphs stay separated by one blank line. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function format(language: MessageLanguage, key: string, values: Record<string, PrimitiveType>): string {
  const message = catalogue().get(language)?.messages.get(key);
  if (!message) throw new TemplateVariableError(`no message ${key} in ${language}`);
  return tidy(String(message.format(values)));
}

/** A message in the reader's language, for a channel; dates and times on the clock in England. */
export function renderMessage<T extends TemplateName>(input: { template: T; channel: Channel; language: MessageLanguage; variables: TemplateVariables<T> }): RenderedMessage {
  const values = formatValues(TEMPLATES[input.template].variables, input.variables as Record<string, unknown>, input.template);
  const { direction } = languageInfo(input.language);
  if (input.channel === 'sms') return { subject: null, body: format(input.language, keyFor(input.template, 'sms', 'body'), values), language: input.language, direction };
  return {
    subject: format(input.language, keyFor(input.template, input.channel, 'subject'), values),
    body: format(input.language, keyFor(input.template, input.channel, 'body'), values),
    language: input.language,
    direction,
  };
}

/** The reference and date lines a printed letter carries, in its language. */
export function renderLetterLines(language: MessageLanguage, variables: { reference: string; printedOn: Date | string }): { reference: string; date: string } {
  const values = formatValues(LETTER_VARIABLES, variables, 'letter');
  return { reference: format(language, 'letter.reference', values), date: format(language, 'letter.date', values) };
}

/** The paragraphs of a rendered body, each a list of lines (for pages and letters). */
export function paragraphsOf(body: string): string[][] {
  return body
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.split('\n'))
    .filter((lines) => lines.some((line) => line.trim() !== ''));
}
