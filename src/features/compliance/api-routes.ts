import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { POLICE_OUTCOMES } from '../../domain/compliance/index.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import { errorBody } from '../../web/errors.ts';
import { ErrorResponse } from '../referrals/schema.ts';
import { noticeForApi } from './presenters.ts';
import type { PoliceNotice } from './service.ts';

const police = { access: { roles: POLICE_ROLES } } as const;
const policeManagers = { access: { roles: ['police_manager'] } } as const;
const security = [{ bearerToken: [] }];
/** The same answer for a notice of another force as for one that does not exist: nothing is revealed. */
const FORBIDDEN = errorBody('forbidden', 'You do not have access to this notice, or it does not exist');

const nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** What the provider tells the police in a notice: dates offered, attendance, contact and stated reasons; never workshop content. */
export const NoticeFacts = Type.Object(
  {
    policeReference: Type.Optional(Type.String()),
    disposal: Type.Optional(Type.Object({ type: Type.String(), date: Type.String() })),
    completeBy: Type.Optional(Type.String({ description: 'The date the caution’s condition had to be completed by (YYYY-MM-DD)' })),
    sessionsOffered: Type.Optional(Type.Array(Type.Object({ part: Type.String(), date: Type.String(), attendance: Type.String() }), { description: 'Every workshop session offered, with the attendance recorded' })),
    contact: Type.Optional(Type.Array(Type.Object({ kind: Type.String(), channel: Type.String(), on: Type.String() }), { description: 'Attempts to contact the participant and contacts made' })),
    reasonableExcuses: Type.Optional(Type.Array(Type.Object({ kind: Type.String(), on: Type.String() }))),
    statedReasons: Type.Optional(Type.String({ description: 'The reasons the participant gave for not completing' })),
  },
  { additionalProperties: true, description: 'For a breach, the fields listed; a risk escalation carries its own facts' },
);

export const PoliceNoticeView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: oneOf(['breach', 'risk_escalation']),
  area: Type.String(),
  referralId: Type.String({ format: 'uuid' }),
  policeReference: Type.String(),
  createdAt: Type.String({ description: 'When the notice was sent (ISO 8601)' }),
  respondBy: Type.String({ description: 'Acknowledge by this date (YYYY-MM-DD), or the provider chases' }),
  acknowledgedAt: nullable(Type.String()),
  outcome: nullable(oneOf(POLICE_OUTCOMES)),
  outcomeNotes: nullable(Type.String()),
  outcomeAt: nullable(Type.String()),
  chaseCount: Type.Integer({ description: 'How many times the provider has chased an acknowledgement' }),
  facts: NoticeFacts,
});

export const NoticeList = Type.Object({ notices: Type.Array(PoliceNoticeView) });

export const OutcomeBody = Type.Object(
  {
    outcome: oneOf(POLICE_OUTCOMES),
    notes: Type.Optional(Type.String({ maxLength: 2000, description: 'What was decided, in a few words' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String() });

/** Notices to the police (breach, risk escalation) for police systems: read, acknowledge, record the outcome. */
export async function noticeApiRoutes(app: FastifyInstance): Promise<void> {
  const { compliance, areas } = app.services;

  async function asViews(request: FastifyRequest, notices: PoliceNotice[]) {
    const slugs = new Map((await areas.list(request.principal!.areaIds)).map((a) => [a.id, a.slug]));
    return notices.map((notice) => noticeForApi(notice, slugs.get(notice.areaId) ?? ''));
  }

  app.get(
    '/api/v1/notices',
    {
      config: police,
      schema: {
        summary: 'Notices to your force, newest first',
        description: 'Breach notices (a participant did not complete) and risk escalations. `open=true`: only those without a recorded outcome.',
        tags: ['notices'],
        security,
        querystring: Type.Object({ open: Type.Optional(oneOf(['true', 'false'])) }, { additionalProperties: false }),
        response: { 200: NoticeList, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      const { open } = request.query as { open?: 'true' | 'false' };
      const notices = await compliance.notices(request.principal!, { open: open === 'true' });
      return { notices: await asViews(request, notices) };
    },
  );

  app.get(
    '/api/v1/notices/:id',
    {
      config: police,
      schema: {
        summary: 'One notice and its facts',
        tags: ['notices'],
        security,
        params: IdParams,
        response: { 200: PoliceNoticeView, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const notice = await compliance.notice(request.principal!, (request.params as { id: string }).id);
      if (!notice) return reply.code(403).send(FORBIDDEN);
      return (await asViews(request, [notice]))[0];
    },
  );

  app.post(
    '/api/v1/notices/:id/acknowledge',
    {
      config: policeManagers,
      schema: {
        summary: 'Acknowledge a notice (stops the reminders)',
        description: 'Police managers only. Acknowledging again changes nothing.',
        tags: ['notices'],
        security,
        params: IdParams,
        response: { 200: PoliceNoticeView, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { id } = request.params as { id: string };
      if (!(await compliance.notice(principal, id))) return reply.code(403).send(FORBIDDEN);
      const result = await compliance.acknowledge(principal, id);
      if (!result.ok) return reply.code(403).send(FORBIDDEN);
      return (await asViews(request, [(await compliance.notice(principal, id))!]))[0];
    },
  );

  app.post(
    '/api/v1/notices/:id/outcome',
    {
      config: policeManagers,
      schema: {
        summary: 'Record what the police decided',
        description: 'Police managers only, once per notice. A breach case then closes.',
        tags: ['notices'],
        security,
        params: IdParams,
        body: OutcomeBody,
        response: { 200: PoliceNoticeView, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { id } = request.params as { id: string };
      const body = request.body as { outcome: string; notes?: string };
      const notice = await compliance.notice(principal, id);
      if (!notice) return reply.code(403).send(FORBIDDEN);
      if (notice.outcome) return reply.code(409).send(errorBody('conflict', 'The outcome of this notice is already recorded'));
      const result = await compliance.recordOutcome(principal, id, { outcome: body.outcome, notes: body.notes ?? '' });
      if (!result.ok) {
        if (result.errors.notice) return reply.code(403).send(FORBIDDEN);
        return reply.code(422).send(errorBody('invalid', 'The outcome could not be recorded; nothing was stored', result.errors));
      }
      return (await asViews(request, [(await compliance.notice(principal, id))!]))[0];
    },
  );
}
