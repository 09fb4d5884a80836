import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates.ts';
import { nextContactDue, victimContactSchedule, type ContactScheduleInput, type MilestoneKey } from './contact-schedule.ts';

const base: ContactScheduleInput = { referredOn: '2026-03-02', contactSlaDays: 14, workshops: null, ended: null, contacts: [], today: '2026-03-03' };

function schedule(overrides: Partial<ContactScheduleInput> = {}) {
  const result = victimContactSchedule({ ...base, ...overrides });
  return Object.fromEntries(result.map((m) => [m.key, m])) as Record<MilestoneKey, (typeof result)[number]>;
}

const booked = { partA: '2026-03-21', partB: '2026-04-18' };

describe('the contacts a victim is owed', () => {
  it('first contact is due within the area’s SLA of the referral', () => {
    const { first_contact } = schedule();
    expect(first_contact).toMatchObject({ opensOn: '2026-03-02', dueOn: '2026-03-16', state: 'open', metOn: null });
  });

  it('an attempt does not count as contact; an actual contact does', () => {
    expect(schedule({ contacts: [{ kind: 'attempt', on: '2026-03-03' }] }).first_contact).toMatchObject({ state: 'open', attempts: 1, metOn: null });
    expect(schedule({ contacts: [{ kind: 'attempt', on: '2026-03-03' }, { kind: 'contact', on: '2026-03-04' }] }).first_contact).toMatchObject({ state: 'done', attempts: 1, metOn: '2026-03-04' });
  });

  it('is due soon from three days before, and overdue the day after the due date', () => {
    expect(schedule({ today: '2026-03-12' }).first_contact.state).toBe('open');
    expect(schedule({ today: '2026-03-13' }).first_contact.state).toBe('due_soon');
    expect(schedule({ today: '2026-03-16' }).first_contact.state).toBe('due_soon');
    expect(schedule({ today: '2026-03-17' }).first_contact.state).toBe('overdue');
  });

  it('a late first contact still meets it', () => {
    expect(schedule({ today: '2026-03-20', contacts: [{ kind: 'contact', on: '2026-03-19' }] }).first_contact).toMatchObject({ state: 'done', metOn: '2026-03-19' });
  });

  it('the contact between the workshops waits for a booking, then runs from Part A to the day before Part B', () => {
    expect(schedule().between_parts).toMatchObject({ state: 'waiting', dueOn: null });
    expect(schedule({ workshops: booked }).between_parts).toMatchObject({ opensOn: '2026-03-21', dueOn: '2026-04-17', state: 'upcoming' });
    expect(schedule({ workshops: booked, today: '2026-04-15' }).between_parts.state).toBe('due_soon');
    expect(schedule({ workshops: booked, today: '2026-04-18' }).between_parts.state).toBe('overdue');
  });

  it('only a contact between the workshops meets it: not one before Part A or on the day of Part B', () => {
    const before = schedule({ workshops: booked, today: '2026-04-19', contacts: [{ kind: 'contact', on: '2026-03-20' }, { kind: 'contact', on: '2026-04-18' }] });
    expect(before.between_parts.state).toBe('overdue');
    expect(schedule({ workshops: booked, today: '2026-04-19', contacts: [{ kind: 'contact', on: '2026-03-21' }] }).between_parts).toMatchObject({ state: 'done', metOn: '2026-03-21' });
  });

  it('is not needed when a breach ends the programme before Part B', () => {
    expect(schedule({ workshops: booked, ended: { on: '2026-03-25', how: 'breach' } }).between_parts.state).toBe('not_needed');
    expect(schedule({ ended: { on: '2026-03-25', how: 'breach' } }).between_parts.state).toBe('not_needed');
  });

  it('the contact after the programme is due within the SLA of completion or breach', () => {
    expect(schedule({ workshops: booked }).after_end.state).toBe('waiting');
    expect(schedule({ workshops: booked, ended: { on: '2026-04-18', how: 'completed' }, today: '2026-04-20' }).after_end).toMatchObject({ opensOn: '2026-04-18', dueOn: '2026-05-02', state: 'open' });
    expect(schedule({ workshops: booked, ended: { on: '2026-04-18', how: 'completed' }, today: '2026-04-20', contacts: [{ kind: 'contact', on: '2026-04-19' }] }).after_end.state).toBe('done');
  });

  it('the next contact due is the earliest one outstanding', () => {
    const all = victimContactSchedule({ ...base, workshops: booked, today: '2026-03-22', contacts: [{ kind: 'contact', on: '2026-03-05' }] });
    expect(nextContactDue(all)?.key).toBe('between_parts');
    const none = victimContactSchedule({ ...base, contacts: [{ kind: 'contact', on: '2026-03-05' }] });
    expect(nextContactDue(none)).toBeUndefined();
  });

  it('a window is met exactly when an actual contact falls inside it, whatever the attempts (property)', () => {
    const day = fc.integer({ min: -5, max: 80 }).map((n) => addDays('2026-03-02', n));
    fc.assert(
      fc.property(fc.array(fc.record({ kind: fc.constantFrom('attempt' as const, 'contact' as const), on: day }), { maxLength: 8 }), day, (contacts, today) => {
        const result = Object.fromEntries(victimContactSchedule({ ...base, workshops: booked, contacts, today }).map((m) => [m.key, m]));
        const contactIn = (from: string, before?: string) => contacts.some((c) => c.kind === 'contact' && c.on >= from && (before === undefined || c.on < before));
        expect(result.first_contact!.state === 'done').toBe(contactIn('2026-03-02'));
        expect(result.between_parts!.state === 'done').toBe(contactIn(booked.partA, booked.partB));
      }),
    );
  });
});
