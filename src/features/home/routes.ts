import type { FastifyInstance } from 'fastify';
import { paths } from '../../web/paths.ts';

/** The signed-in user's home page: their queue for their role. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get(paths.home, { schema: { hide: true } }, async (_request, reply) => {
    return reply.view('home/views/home.njk', { pageTitle: 'Home' });
  });
}
