import type { FieldErrors } from '../domain/result.ts';

export interface ErrorSummaryItem {
  text: string;
  href: string;
}

/** The GOV.UK error summary list for a form's errors, each linking to its field (`#field-id`). */
export function errorList(errors: FieldErrors | undefined, fieldIds: Record<string, string> = {}): ErrorSummaryItem[] {
  if (!errors) return [];
  return Object.entries(errors).map(([field, text]) => ({ text: capitaliseFirst(text), href: `#${fieldIds[field] ?? fieldId(field)}` }));
}

/** The element id for a field path: `offender.firstName` → `offender-firstName`. */
export function fieldId(field: string): string {
  return field.replace(/[.[\]]+/g, '-').replace(/-$/, '');
}

function capitaliseFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A single string from a form body field (first value if repeated, trimmed), or ''. */
export function formString(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** Every value of a repeated form field (checkboxes), as strings. */
export function formStrings(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);
}
