/** Workshop scheduling: programme run plans, booking rules and automatic placement. */
export * from './types.ts';
export * from './labels.ts';
export * from './rules.ts';
export * from './placement.ts';
