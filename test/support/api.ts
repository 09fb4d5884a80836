import type { FastifyInstance } from 'fastify';
import { CLI_ACTOR } from '../../src/features/audit/audit-log.ts';

/** An API token for an existing user, as `cara token create` would print. */
export async function tokenFor(app: FastifyInstance, userId: string): Promise<string> {
  return (await app.services.apiTokens.create(userId, 'test system', CLI_ACTOR)).token;
}

/** Calls the JSON API with a bearer token. */
export function api(app: FastifyInstance, token: string | undefined) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });
  return {
    token,
    post: (url: string, body: unknown, extra: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, headers: headers({ 'content-type': 'application/json', ...extra }), payload: JSON.stringify(body) }),
    get: (url: string) => app.inject({ method: 'GET', url, headers: headers() }),
  };
}
