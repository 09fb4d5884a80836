/** Field path → a message for the person who can fix it. */
export type FieldErrors = Record<string, string>;

/** The outcome of something a user asked for: the value, or every field that was wrong. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failed = <T = never>(errors: FieldErrors): Result<T> => ({ ok: false, errors });
