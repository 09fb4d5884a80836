import Type, { type Static } from 'typebox';
import {
  DISPOSAL_TYPES,
  OFFENCE_CATEGORIES,
  PRIOR_VIOLENCE_KINDS,
  RELATIONSHIPS,
  RISK_LEVELS,
  SEXES,
} from '../../domain/eligibility/types.ts';

const text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const optionalText = (maxLength: number) => Type.String({ maxLength });
const isoDate = (description: string) => Type.String({ description: `${description} (YYYY-MM-DD)`, examples: ['2025-11-03'] });
const language = Type.String({ pattern: '^[a-z]{2}$', description: 'ISO 639-1 code, e.g. en, pl, cy' });
const email = Type.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 254 });
const phone = Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$' });
const nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** The body of POST /api/v1/referrals, exactly as API.md gives it. Unknown fields are refused. */
export const ReferralBody = Type.Object(
  {
    area: text(60, 'The area’s slug, e.g. devon-cornwall'),
    policeReference: text(60, 'The force’s reference for the case, unique in the area'),
    referringOfficer: Type.Object(
      { name: text(120), collarNumber: optionalText(20), email },
      { additionalProperties: false },
    ),
    disposal: Type.Object(
      { type: oneOf(DISPOSAL_TYPES), date: isoDate('The date the disposal was given'), authorisedBy: text(120) },
      { additionalProperties: false },
    ),
    offender: Type.Object(
      {
        policePersonId: text(60),
        firstName: text(100),
        lastName: text(100),
        dateOfBirth: isoDate('Date of birth'),
        sex: oneOf(SEXES),
        preferredLanguage: language,
        interpreterNeeded: Type.Optional(Type.Boolean()),
        accessibilityNeeds: Type.Optional(optionalText(1000)),
        phone: Type.Optional(nullable(phone)),
        email: Type.Optional(nullable(email)),
        address: Type.Object(
          { line1: text(200), town: text(100), postcode: Type.String({ pattern: '^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$' }) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    victim: Type.Object(
      {
        firstName: text(100),
        lastName: text(100),
        phone: Type.Optional(nullable(phone)),
        email: Type.Optional(nullable(email)),
        safeToContact: Type.Boolean(),
        contactNotes: Type.Optional(optionalText(1000)),
        preferredLanguage: Type.Optional(language),
      },
      { additionalProperties: false },
    ),
    offences: Type.Array(
      Type.Object(
        { category: oneOf(OFFENCE_CATEGORIES), homeOfficeCode: Type.String({ pattern: '^[0-9]{1,3}/[0-9]{1,2}$' }), date: isoDate('The offence date'), description: optionalText(500) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    relationship: oneOf(RELATIONSHIPS),
    riskLevel: oneOf(RISK_LEVELS),
    fullAdmission: Type.Boolean(),
    acceptsResponsibility: Type.Boolean(),
    victimConsent: Type.Boolean(),
    coerciveControlEvidence: Type.Boolean(),
    onBailOrCourtOrder: Type.Boolean(),
    priorViolence: Type.Optional(
      Type.Array(Type.Object({ kind: oneOf(PRIOR_VIOLENCE_KINDS), date: isoDate('Date of the conviction or caution') }, { additionalProperties: false }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);

export type ReferralBodyInput = Static<typeof ReferralBody>;

const RuleResultSchema = Type.Object({ rule: Type.String(), passed: Type.Boolean(), message: Type.String() });

/** The 201 response of POST /api/v1/referrals. */
export const ReferralCreated = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.String(),
  eligibility: Type.Object({
    outcome: oneOf(['eligible', 'ineligible', 'needs_review']),
    rules: Type.Array(RuleResultSchema),
    reviewReasons: Type.Optional(Type.Array(Type.String())),
  }),
  deadlines: Type.Object({ contactBy: Type.String(), completeBy: Type.String() }),
});

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});

/** What a police user (or their system) may see of a referral: never workshop or victim-support notes. */
export const PoliceReferralView = Type.Object({
  id: Type.String(),
  area: Type.String(),
  policeReference: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  eligibility: ReferralCreated.properties.eligibility,
  deadlines: ReferralCreated.properties.deadlines,
  sessions: Type.Array(Type.Object({ part: Type.String(), date: Type.String(), attendance: Type.Union([Type.String(), Type.Null()]) })),
  completedOn: Type.Union([Type.String(), Type.Null()]),
  breachReportedOn: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ReferralPage = Type.Object({
  referrals: Type.Array(PoliceReferralView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
