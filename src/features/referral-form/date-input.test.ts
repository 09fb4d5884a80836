import { describe, expect, it } from 'vitest';
import { datePartsOf, readDate, readDateParts } from './date-input.ts';

const parts = (day: string, month: string, year: string) => ({ day, month, year });

describe('reading a GOV.UK date input', () => {
  it('turns day, month and year into YYYY-MM-DD', () => {
    expect(readDate(parts('3', '11', '2025'), 'the disposal date')).toEqual({ ok: true, date: '2025-11-03' });
    expect(readDate(parts('03', '04', '1990'), 'the date of birth')).toEqual({ ok: true, date: '1990-04-03' });
  });

  it('accepts a month written as a name or its first letters', () => {
    expect(readDate(parts('5', 'Jan', '2015'), 'the date')).toEqual({ ok: true, date: '2015-01-05' });
    expect(readDate(parts('5', 'september', '2015'), 'the date')).toEqual({ ok: true, date: '2015-09-05' });
  });

  it('asks for the date when nothing is entered, marking all three boxes', () => {
    expect(readDate(parts('', '', ''), 'the disposal date')).toEqual({ ok: false, message: 'Enter the disposal date', parts: ['day', 'month', 'year'] });
  });

  it('names the missing boxes, and marks only those', () => {
    expect(readDate(parts('3', '', '2025'), 'the date of birth')).toEqual({ ok: false, message: 'The date of birth must include a month', parts: ['month'] });
    expect(readDate(parts('3', '', ''), 'the date of birth')).toEqual({ ok: false, message: 'The date of birth must include a month and year', parts: ['month', 'year'] });
  });

  it('names a date that does not exist as not real', () => {
    expect(readDate(parts('30', '2', '2025'), 'the disposal date')).toMatchObject({ ok: false, message: 'The disposal date must be a real date' });
    expect(readDate(parts('29', '2', '2023'), 'the disposal date')).toMatchObject({ ok: false, message: 'The disposal date must be a real date' });
    expect(readDate(parts('29', '2', '2024'), 'the disposal date')).toEqual({ ok: true, date: '2024-02-29' });
    expect(readDate(parts('3', '13', '2025'), 'the disposal date')).toEqual({ ok: false, message: 'The disposal date must be a real date', parts: ['month'] });
    expect(readDate(parts('x', '1', '2025'), 'the disposal date')).toEqual({ ok: false, message: 'The disposal date must be a real date', parts: ['day'] });
  });

  it('wants a four-digit year from 1900', () => {
    expect(readDate(parts('3', '11', '25'), 'the date')).toEqual({ ok: false, message: 'Year must include 4 numbers', parts: ['year'] });
    expect(readDate(parts('3', '11', '1850'), 'the date')).toMatchObject({ ok: false, message: 'The date must be after 1900' });
  });

  it('refuses a date after today when asked to', () => {
    expect(readDate(parts('21', '11', '2025'), 'the disposal date', { notAfter: '2025-11-20' })).toMatchObject({ ok: false, message: 'The disposal date must be today or in the past' });
    expect(readDate(parts('20', '11', '2025'), 'the disposal date', { notAfter: '2025-11-20' })).toEqual({ ok: true, date: '2025-11-20' });
  });

  it('reads the boxes from a form body and shows a stored date in them again', () => {
    expect(readDateParts({ 'd-day': ' 3 ', 'd-month': '11', 'd-year': '2025' }, 'd')).toEqual(parts('3', '11', '2025'));
    expect(datePartsOf('2025-04-03')).toEqual(parts('3', '4', '2025'));
  });
});
