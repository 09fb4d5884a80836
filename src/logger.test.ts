import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS, urlWithoutQuery } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream), lines };
}

describe('structured logs', () => {
  it('redacts personal data and credentials wherever they are nested', () => {
    const { logger, lines } = capture();
    logger.info({
      body: { offender: { firstName: 'Sam', lastName: 'Carter', phone: '07700900123' }, victim: { email: 'alex@example.com' } },
      req: { headers: { authorization: 'Bearer secret-token', cookie: 'session=abc' } },
      password: 'hunter2hunter2',
    });
    const line = lines.join('');
    for (const secret of ['Sam', 'Carter', '07700900123', 'alex@example.com', 'secret-token', 'session=abc', 'hunter2']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('drops query strings from logged URLs, where searches can carry names', () => {
    expect(urlWithoutQuery('/referrals?q=Carter')).toBe('/referrals?[redacted]');
    expect(urlWithoutQuery('/referrals')).toBe('/referrals');
  });
});
