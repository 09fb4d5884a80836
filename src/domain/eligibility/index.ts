/** Eligibility of a police referral for CARA: facts, area policy, rules and the decision. */
export * from './types.ts';
export * from './labels.ts';
export * from './policy.ts';
export * from './rules.ts';
export * from './decide.ts';
export * from './deadlines.ts';
export * from './consistency.ts';
