import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log line: credentials and
 * every field that can carry personal data of offenders, victims or staff.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'token',
    'email',
    'phone',
    'firstName',
    'lastName',
    'name',
    'dateOfBirth',
    'address',
    'contactNotes',
    'accessibilityNeeds',
    'totpSecret',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** Logged URLs lose their query string: searches and filters can hold names. */
export function urlWithoutQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : `${url.slice(0, index)}?[redacted]`;
}

/** Pino options for Fastify's logger, structured JSON with personal data redacted. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; ip?: string; id?: string }) {
        return { method: request.method, url: urlWithoutQuery(request.url), id: request.id };
      },
    },
  };
}
