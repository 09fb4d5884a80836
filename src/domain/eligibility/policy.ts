/**
 * An area's policy: which eligibility rules it applies and how widely, and the
 * numbers its programme runs by. See API.md "Area policy".
 */
import {
  DISPOSAL_TYPES,
  OFFENCE_CATEGORIES,
  RISK_LEVELS,
  RULE_NAMES,
  type DisposalType,
  type OffenceCategory,
  type RiskLevel,
  type RuleName,
} from './types.ts';

export interface AreaPolicy {
  allowedDisposalTypes: readonly DisposalType[];
  allowedRiskLevels: readonly RiskLevel[];
  allowedOffenceCategories: readonly OffenceCategory[];
  /** Calendar years before the earliest offence in which violence makes a referral ineligible. */
  violenceLookbackYears: number;
  /** Rules this area does not apply; they are left out of its decisions. */
  disabledRules: readonly RuleName[];
  /** Days from the disposal by which the offender should be contacted. */
  contactSlaDays: number;
  /** Days from the disposal by which the programme must be completed. */
  completionDays: number;
  /** Days from Part A to Part B, inclusive. */
  daysBetweenParts: { readonly min: number; readonly max: number };
  groupCapacity: number;
  rebooksAllowed: number;
  /** ISO 639-1 codes of the languages the area runs groups in. */
  languages: readonly string[];
  randomisedTrial: boolean;
}

/** The policy every area starts with (API.md). */
export const DEFAULT_POLICY: AreaPolicy = Object.freeze({
  allowedDisposalTypes: Object.freeze([...DISPOSAL_TYPES]),
  allowedRiskLevels: Object.freeze(['standard'] as const),
  allowedOffenceCategories: Object.freeze([
    'common_assault',
    'criminal_damage',
    'harassment',
    'threatening_behaviour',
    'domestic_theft',
  ] as const),
  violenceLookbackYears: 2,
  disabledRules: Object.freeze([]),
  contactSlaDays: 14,
  completionDays: 112,
  daysBetweenParts: Object.freeze({ min: 28, max: 35 }),
  groupCapacity: 12,
  rebooksAllowed: 1,
  languages: Object.freeze(['en']),
  randomisedTrial: false,
});

export type PolicyParseResult =
  | { ok: true; policy: AreaPolicy }
  | { ok: false; errors: Record<string, string> };

type PolicyKey = keyof AreaPolicy;
type Input = Record<string, unknown>;
/** Problems by field path; a Map, so that even a `__proto__` key is recorded as data. */
type Errors = Map<string, string>;

const POLICY_KEYS = Object.keys(DEFAULT_POLICY) as PolicyKey[];
const PART_GAP_KEYS = ['min', 'max'] as const;
const LANGUAGE_CODE = /^[a-z]{2}$/;

/** Where the whole-input error goes when the policy is not a JSON object at all. */
export const POLICY_ROOT_ERROR_KEY = 'policy';

interface NumberSetting {
  description: string;
  unit: string;
  min: number;
  max: number;
}

const NUMBER_SETTINGS = {
  violenceLookbackYears: { description: 'The violence lookback', unit: 'years', min: 0, max: 100 },
  contactSlaDays: { description: 'The time to contact the offender', unit: 'days', min: 0, max: 3650 },
  completionDays: { description: 'The time to complete the programme', unit: 'days', min: 1, max: 3650 },
  groupCapacity: { description: 'The group capacity', unit: 'places', min: 1, max: 1000 },
  rebooksAllowed: { description: 'The number of rebooks allowed', unit: 'rebooks', min: 0, max: 100 },
} as const satisfies Partial<Record<PolicyKey, NumberSetting>>;

const PART_GAP_SETTINGS: Record<(typeof PART_GAP_KEYS)[number], NumberSetting> = {
  min: { description: 'The shortest gap between Part A and Part B', unit: 'days', min: 1, max: 365 },
  max: { description: 'The longest gap between Part A and Part B', unit: 'days', min: 1, max: 365 },
};

/**
 * Reads an area policy from untrusted JSON (a file or an admin form). Every key
 * is optional and falls back to `DEFAULT_POLICY`. Anything wrong (an unknown
 * key, a wrong type, a value not allowed) is refused, every problem reported
 * under its field path (e.g. `allowedRiskLevels[1]`, `daysBetweenParts.min`)
 * with a message an administrator can act on.
 */
export function parseAreaPolicy(input: unknown): PolicyParseResult {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: {
        [POLICY_ROOT_ERROR_KEY]:
          'The policy must be a JSON object of settings, such as {"allowedRiskLevels": ["standard", "medium"]}',
      },
    };
  }
  const errors: Errors = new Map();
  for (const key of Object.keys(input)) {
    if (!(POLICY_KEYS as string[]).includes(key)) {
      errors.set(key, `"${key}" is not a policy setting. The settings are: ${POLICY_KEYS.join(', ')}`);
    }
  }

  const policy: AreaPolicy = {
    allowedDisposalTypes: readChoiceList(input, 'allowedDisposalTypes', errors, {
      choices: DISPOSAL_TYPES,
      itemName: 'disposal type',
      emptyMessage:
        'Allow at least one disposal type. To stop checking the disposal type, add "disposal_type" to disabledRules instead',
    }),
    allowedRiskLevels: readChoiceList(input, 'allowedRiskLevels', errors, {
      choices: RISK_LEVELS,
      itemName: 'risk level',
      emptyMessage:
        'Allow at least one risk level. To stop checking the risk level, add "risk_level" to disabledRules instead',
    }),
    allowedOffenceCategories: readChoiceList(input, 'allowedOffenceCategories', errors, {
      choices: OFFENCE_CATEGORIES,
      itemName: 'offence category',
      emptyMessage:
        'Allow at least one offence category. To stop checking offence types, add "offence_type" to disabledRules instead',
    }),
    violenceLookbackYears: readWholeNumber(input, 'violenceLookbackYears', errors),
    disabledRules: readChoiceList(input, 'disabledRules', errors, {
      choices: RULE_NAMES,
      itemName: 'rule name',
    }),
    contactSlaDays: readWholeNumber(input, 'contactSlaDays', errors),
    completionDays: readWholeNumber(input, 'completionDays', errors),
    daysBetweenParts: readPartGap(input, errors),
    groupCapacity: readWholeNumber(input, 'groupCapacity', errors),
    rebooksAllowed: readWholeNumber(input, 'rebooksAllowed', errors),
    languages: readLanguages(input, errors),
    randomisedTrial: readBoolean(input, 'randomisedTrial', errors),
  };

  return errors.size === 0 ? { ok: true, policy } : { ok: false, errors: Object.fromEntries(errors) };
}

function isPlainObject(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(input: Input, key: string): boolean {
  return Object.hasOwn(input, key) && input[key] !== undefined;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

function readChoiceList<Choice extends string>(
  input: Input,
  key: PolicyKey,
  errors: Errors,
  options: { choices: readonly Choice[]; itemName: string; emptyMessage?: string },
): readonly Choice[] {
  const fallback = DEFAULT_POLICY[key] as readonly Choice[];
  if (!isPresent(input, key)) return fallback;
  const value = input[key];
  const choices = options.choices.join(', ');
  if (!Array.isArray(value)) {
    errors.set(key, `${key} must be a list of ${options.itemName}s, chosen from: ${choices}`);
    return fallback;
  }
  if (value.length === 0 && options.emptyMessage) {
    errors.set(key, options.emptyMessage);
    return fallback;
  }
  const chosen: Choice[] = [];
  value.forEach((item: unknown, index) => {
    const path = `${key}[${index}]`;
    if (!(options.choices as readonly unknown[]).includes(item)) {
      errors.set(path, `${quote(item)} is not a ${options.itemName}. Use one of: ${choices}`);
    } else if (chosen.includes(item as Choice)) {
      errors.set(path, `${quote(item)} is listed more than once`);
    } else {
      chosen.push(item as Choice);
    }
  });
  return chosen;
}

function readLanguages(input: Input, errors: Errors): readonly string[] {
  const key = 'languages';
  if (!isPresent(input, key)) return DEFAULT_POLICY.languages;
  const value = input[key];
  if (!Array.isArray(value)) {
    errors.set(key, 'languages must be a list of two-letter ISO 639-1 language codes, such as ["en", "pl"]');
    return DEFAULT_POLICY.languages;
  }
  if (value.length === 0) {
    errors.set(key, 'List at least one language the area runs groups in, such as ["en"]');
    return DEFAULT_POLICY.languages;
  }
  const languages: string[] = [];
  value.forEach((item: unknown, index) => {
    const path = `${key}[${index}]`;
    if (typeof item !== 'string' || !LANGUAGE_CODE.test(item)) {
      errors.set(
        path,
        `${quote(item)} is not a language code. ` +
          'Use the two-letter lowercase ISO 639-1 code, such as "en" for English or "pl" for Polish',
      );
    } else if (languages.includes(item)) {
      errors.set(path, `"${item}" is listed more than once`);
    } else {
      languages.push(item);
    }
  });
  return languages;
}

function checkWholeNumber(value: unknown, setting: NumberSetting): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= setting.min && value <= setting.max) {
    return undefined;
  }
  return `${setting.description} must be a whole number of ${setting.unit} from ${setting.min} to ${setting.max}, not ${quote(value)}`;
}

function readWholeNumber(input: Input, key: keyof typeof NUMBER_SETTINGS, errors: Errors): number {
  if (!isPresent(input, key)) return DEFAULT_POLICY[key];
  const problem = checkWholeNumber(input[key], NUMBER_SETTINGS[key]);
  if (problem) {
    errors.set(key, problem);
    return DEFAULT_POLICY[key];
  }
  return input[key] as number;
}

function readBoolean(input: Input, key: 'randomisedTrial', errors: Errors): boolean {
  if (!isPresent(input, key)) return DEFAULT_POLICY[key];
  const value = input[key];
  if (typeof value !== 'boolean') {
    errors.set(key, `${key} must be true or false, not ${quote(value)}`);
    return DEFAULT_POLICY[key];
  }
  return value;
}

function readPartGap(input: Input, errors: Errors): AreaPolicy['daysBetweenParts'] {
  const key = 'daysBetweenParts';
  const fallback = DEFAULT_POLICY.daysBetweenParts;
  if (!isPresent(input, key)) return fallback;
  const value = input[key];
  if (!isPlainObject(value)) {
    errors.set(key, 'daysBetweenParts must be an object with "min" and "max" days, such as {"min": 28, "max": 35}');
    return fallback;
  }
  for (const subKey of Object.keys(value)) {
    if (!(PART_GAP_KEYS as readonly string[]).includes(subKey)) {
      errors.set(`${key}.${subKey}`, `"${subKey}" is not part of daysBetweenParts. Use only "min" and "max"`);
    }
  }
  const gap = { ...fallback };
  let bothValid = true;
  for (const end of PART_GAP_KEYS) {
    if (!isPresent(value, end)) continue;
    const problem = checkWholeNumber(value[end], PART_GAP_SETTINGS[end]);
    if (problem) {
      errors.set(`${key}.${end}`, problem);
      bothValid = false;
    } else {
      gap[end] = value[end] as number;
    }
  }
  if (bothValid && gap.min > gap.max) {
    errors.set(
      `${key}.min`,
      `The shortest gap between Part A and Part B (${gap.min} days) ` +
        `cannot be longer than the longest gap (${gap.max} days)`,
    );
  }
  return gap;
}
