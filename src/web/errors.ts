import type { FastifyError } from 'fastify';

import type { FieldErrors } from '../domain/result.ts';

export type { FieldErrors };

/** An error a caller caused, turned into a response with a status and a message for them. */
export class UserFacingError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export const notFound = (message = 'Not found') => new UserFacingError(404, 'not_found', message);
export const forbidden = (message = 'You do not have access to this') => new UserFacingError(403, 'forbidden', message);
export const unauthorised = (message = 'Sign in or send a valid API token') =>
  new UserFacingError(401, 'unauthorised', message);
export const conflict = (message: string) => new UserFacingError(409, 'conflict', message);
export const invalid = (fields: FieldErrors, message = 'Some fields are missing or wrong') =>
  new UserFacingError(422, 'invalid', message, fields);

/** The JSON error body of the API contract. */
export function errorBody(code: string, message: string, fields?: FieldErrors) {
  return { error: { code, message, ...(fields && Object.keys(fields).length > 0 ? { fields } : {}) } };
}

export interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The field path an issue is about, like `offences[0].date` (a missing or unknown property included). */
export function fieldPathOf(issue: AjvIssue): string {
  const segments = issue.instancePath.split('/').filter(Boolean).map(unescapePointer);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') segments.push(issue.params.missingProperty);
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') segments.push(issue.params.additionalProperty);
  return toFieldPath(segments);
}

/**
 * Turns JSON-schema validation issues into field paths like `offences[0].date`, one message each;
 * `messageFor` may give a better message for a field than the generic one.
 */
export function fieldErrorsFromValidation(
  issues: readonly AjvIssue[],
  root = '',
  messageFor?: (field: string, issue: AjvIssue) => string | undefined,
): FieldErrors {
  const fields: FieldErrors = {};
  // A choice of literals fails as one `const` issue per literal: gather them into one message.
  const allowed = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.keyword !== 'const') continue;
    const field = fieldPathOf(issue) || root || '(body)';
    allowed.set(field, [...(allowed.get(field) ?? []), String(issue.params.allowedValue)]);
  }
  for (const [field, values] of allowed) fields[field] = `must be one of: ${values.join(', ')}`;
  for (const issue of issues) {
    const field = fieldPathOf(issue) || root || '(body)';
    if (fields[field]) continue; // the first message about a field is the clearest
    fields[field] = messageFor?.(field, issue) ?? describeIssue(issue);
  }
  return fields;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function toFieldPath(segments: string[]): string {
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describeIssue(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
    case 'anyOf':
    case 'const': {
      const allowed = (issue.params.allowedValues as unknown[] | undefined)?.map(String).join(', ');
      return allowed ? `must be one of: ${allowed}` : 'is not an allowed value';
    }
    case 'type':
      return `must be ${article(String(issue.params.type))}`;
    case 'format':
      return issue.params.format === 'date' ? 'must be a date written YYYY-MM-DD' : `must be a valid ${String(issue.params.format)}`;
    case 'minLength':
      return issue.params.limit === 1 ? 'must not be empty' : `must be at least ${String(issue.params.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(issue.params.limit)} characters`;
    case 'pattern':
      return 'is not in the expected format';
    case 'minItems':
      return `must have at least ${String(issue.params.limit)} item${issue.params.limit === 1 ? '' : 's'}`;
    default:
      return issue.message ?? 'is not valid';
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    integer: 'a whole number',
    number: 'a number',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

/** True for Fastify's own request-validation errors (schema failures on body, query or params). */
export function isValidationError(error: unknown): error is FastifyError & { validation: AjvIssue[]; validationContext?: string } {
  return typeof error === 'object' && error !== null && Array.isArray((error as { validation?: unknown }).validation);
}
