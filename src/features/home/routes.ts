import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../domain/roles.ts';
import { paths } from '../../web/paths.ts';

/** The signed-in user's home page: their queue for their role. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get(paths.home, { schema: { hide: true }, config: { access: { roles: ROLES } } }, async (_request, reply) => {
    return reply.view('home/views/home.njk', { pageTitle: 'Home' });
  });
}
