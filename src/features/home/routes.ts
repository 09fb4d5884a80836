import type { FastifyInstance } from 'fastify';
import { todayInLondon } from '../../domain/dates.ts';
import { ROLES } from '../../domain/roles.ts';
import { paths } from '../../web/paths.ts';
import { caseloadHref, EMPTY_CASELOAD_QUERY } from '../referrals/forms.ts';
import { caseloadTable } from '../referrals/presenters.ts';
import { coordinatorQueues, homeKind, homeLinks, roleIntroduction } from './presenters.ts';

const RECENT = 5;

/** The signed-in user's home page: their queue for their role. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { referrals, areas } = app.services;

  app.get(paths.home, { schema: { hide: true }, config: { access: { roles: ROLES } } }, async (request, reply) => {
    const principal = request.principal!;
    const kind = homeKind(principal.role);
    const common = { pageTitle: 'Home', kind, introduction: roleIntroduction(principal.role), links: homeLinks(principal.role) };
    if (kind === 'coordinator') {
      return reply.view('home/views/home.njk', { ...common, queues: coordinatorQueues(await referrals.queueCounts(principal)) });
    }
    if (kind === 'police') {
      const held = await areas.list(principal.areaIds);
      const areaNames = new Map(held.map((a) => [a.slug, a.name]));
      const today = todayInLondon(app.services.clock());
      const table = (rows: Parameters<typeof caseloadTable>[0]) => caseloadTable(rows, { role: principal.role, query: EMPTY_CASELOAD_QUERY, today, areaNames, sortable: false });
      const page = { limit: RECENT, offset: 0 };
      const [recent, ineligible] = await Promise.all([
        referrals.caseload(principal, {}, 'newest', page),
        referrals.caseload(principal, { status: ['ineligible'] }, 'newest', page),
      ]);
      return reply.view('home/views/home.njk', {
        ...common,
        recent: { table: table(recent.rows), total: recent.total },
        ineligible: { table: table(ineligible.rows), total: ineligible.total, href: caseloadHref(EMPTY_CASELOAD_QUERY, { status: ['ineligible'] }) },
      });
    }
    return reply.view('home/views/home.njk', common);
  });
}
