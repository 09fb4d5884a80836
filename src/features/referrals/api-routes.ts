import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { STATUSES } from '../../domain/lifecycle.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import { errorBody } from '../../web/errors.ts';
import { ErrorResponse, PoliceReferralView, ReferralBody, ReferralCreated, ReferralPage } from './schema.ts';
import { policeView, type ReferralService } from './service.ts';

const police = { access: { roles: POLICE_ROLES } } as const;
const security = [{ bearerToken: [] }];
const FORBIDDEN = errorBody('forbidden', 'You do not have access to this referral, or it does not exist');

/** The referral API for police systems (API.md): submit, read one, and page through referrals. */
export async function referralApiRoutes(app: FastifyInstance, { referrals }: { referrals: ReferralService }): Promise<void> {
  app.post(
    '/api/v1/referrals',
    {
      config: police,
      schema: {
        summary: 'Submit a referral',
        description: 'Decides eligibility at once. Idempotency-Key: a retry with the same key and body returns the original response.',
        tags: ['referrals'],
        security,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: ReferralBody,
        response: { 201: ReferralCreated, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const outcome = await referrals.submit(request.body, request.principal!, { idempotencyKey: typeof key === 'string' ? key : undefined, via: 'api' });
      switch (outcome.kind) {
        case 'created':
          return reply.code(201).header('location', `/api/v1/referrals/${outcome.body.id}`).send(outcome.body);
        case 'replayed':
          return reply.code(outcome.statusCode as 201).send(outcome.body as never);
        case 'invalid':
          return reply.code(422).send(errorBody('invalid', 'Some fields are missing or wrong; nothing was stored', outcome.errors));
        case 'forbidden':
          return reply.code(403).send(errorBody('forbidden', 'You may not refer in that area'));
        case 'conflict':
          return reply.code(409).send(errorBody('conflict', outcome.message));
        case 'idempotency_mismatch':
          return reply.code(422).send(errorBody('idempotency_key_reused', 'This Idempotency-Key was used with a different request body', { 'Idempotency-Key': 'was already used for a different referral' }));
      }
    },
  );

  app.get(
    '/api/v1/referrals/:id',
    {
      config: police,
      schema: {
        summary: 'A referral as the police may see it',
        tags: ['referrals'],
        security,
        params: Type.Object({ id: Type.String() }),
        response: { 200: PoliceReferralView, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const record = await referrals.get(request.principal!, id);
      if (!record) return reply.code(403).send(FORBIDDEN);
      return policeView(record, await referrals.policeProgress(record.id));
    },
  );

  app.get(
    '/api/v1/referrals',
    {
      config: police,
      schema: {
        summary: 'A page of referrals, newest first',
        tags: ['referrals'],
        security,
        querystring: Type.Object(
          {
            area: Type.Optional(Type.String()),
            status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
            updatedSince: Type.Optional(Type.String({ description: 'An ISO 8601 instant; only referrals changed after it' })),
            cursor: Type.Optional(Type.String()),
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: 'Page size, 1 to 200 (default 50)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReferralPage, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const query = request.query as { area?: string; status?: string; updatedSince?: string; cursor?: string; limit?: string };
      const principal = request.principal!;
      const fields: Record<string, string> = {};
      let updatedSince: Date | undefined;
      if (query.updatedSince !== undefined) {
        updatedSince = new Date(query.updatedSince);
        if (!/^\d{4}-\d{2}-\d{2}/.test(query.updatedSince) || Number.isNaN(updatedSince.getTime())) fields.updatedSince = 'must be an ISO 8601 date or instant, like 2025-11-03T09:00:00Z';
      }
      let areaIds: string[] | undefined;
      if (query.area !== undefined) {
        const areaId = await referrals.areaIdInScope(principal, query.area);
        if (!areaId) return reply.code(403).send(errorBody('forbidden', 'You do not have access to that area'));
        areaIds = [areaId];
      }
      if (Object.keys(fields).length > 0) return reply.code(400).send(errorBody('invalid', 'Some query parameters are wrong', fields));
      const page = await referrals.apiPage(principal, { ...(areaIds ? { areaIds } : {}), ...(query.status ? { status: [query.status] } : {}), ...(updatedSince ? { updatedSince } : {}) }, query.cursor, query.limit ? Number(query.limit) : 50);
      if ('invalidCursor' in page) return reply.code(400).send(errorBody('invalid', 'The cursor is not one this service gave out', { cursor: 'is not valid' }));
      const views = await Promise.all(page.referrals.map(async (record) => policeView(record, await referrals.policeProgress(record.id))));
      return { referrals: views, nextCursor: page.nextCursor };
    },
  );
}
