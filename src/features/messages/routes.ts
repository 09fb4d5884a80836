import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../web/errors.ts';
import { paths } from '../../web/paths.ts';
import { describeMessage } from './delivery.ts';
import { languageInfo } from './languages.ts';
import { OUTBOX_HEAD, eventRows, languageRows, messageSummaryRows, outboxRows, paragraphsOf, statusOf } from './presenters.ts';
import type { MessageService } from './service.ts';

/** Coordinators read participants' messages, victim workers victims' (admins both): each sees only their own kind. */
const outboxReaders = { access: { roles: ['coordinator', 'victim_worker', 'admin'] } } as const;
/** Only a coordinator posts letters. */
const letterPosters = { access: { roles: ['coordinator'] } } as const;

type IdParams = { Params: { id: string } };

const INTRO = {
  coordinator: 'Invitations, reminders, new dates, warnings and completion messages to the participants in your areas. Messages to victims are kept by the victim support service: the referral’s timeline shows only that one was sent.',
  victim_worker: 'Updates sent to victims in your areas, as each victim agreed to receive them.',
  admin: 'Every message to participants and victims in your areas.',
} as const;

/** The outbox pages: the list, one message, a printable letter, and marking a letter posted. */
export async function messageRoutes(app: FastifyInstance, { messages }: { messages: MessageService }): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(path.dirname(fileURLToPath(import.meta.url)), 'public'),
    prefix: '/assets/messages/',
    decorateReply: false,
    index: false,
    list: false,
  });
  const now = () => app.services.clock();

  app.get<{ Querystring: { page?: string } }>(paths.messages, { config: outboxReaders }, async (request, reply) => {
    const principal = request.principal!;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const { entries, hasNextPage } = await messages.list(principal, page);
    const pagination =
      page > 1 || hasNextPage
        ? { ...(page > 1 ? { previous: { href: `${paths.messages}?page=${page - 1}` } } : {}), ...(hasNextPage ? { next: { href: `${paths.messages}?page=${page + 1}` } } : {}) }
        : undefined;
    return reply.view('messages/views/outbox.njk', {
      pageTitle: principal.role === 'victim_worker' ? 'Messages to victims' : 'Messages',
      intro: INTRO[principal.role as keyof typeof INTRO],
      localOutbox: app.config.notify === undefined,
      head: OUTBOX_HEAD,
      rows: outboxRows(entries, now()),
      pagination,
      languageRows: languageRows(messages.languages()),
    });
  });

  app.get<IdParams & { Querystring: { posted?: string } }>(`${paths.messages}/:id`, { config: outboxReaders }, async (request, reply) => {
    const principal = request.principal!;
    const detail = await messages.message(principal, request.params.id);
    if (!detail) throw notFound();
    const m = detail.message;
    const info = languageInfo(detail.rendered.language);
    const isLetter = m.channel === 'letter';
    return reply.view('messages/views/message.njk', {
      pageTitle: describeMessage(m),
      caption: m.recipient === 'victim' ? 'Message to a victim' : 'Message to a participant',
      banner: request.query.posted === '1' ? 'The letter is marked as posted' : undefined,
      summaryRows: messageSummaryRows(detail, now()),
      letterHref: isLetter && m.status !== 'cancelled' ? paths.messageLetter(m.id) : undefined,
      canMarkPosted: isLetter && principal.role === 'coordinator' && m.status === 'queued',
      postedHref: paths.messagePosted(m.id),
      asSent: detail.asSent,
      text: { lang: info.code, dir: info.direction, subject: m.channel === 'sms' ? null : detail.rendered.subject, paragraphs: paragraphsOf(detail.rendered.body) },
      eventRows: eventRows(detail),
      backLink: { href: paths.messages, text: 'All messages' },
    });
  });

  app.get<IdParams>(`${paths.messages}/:id/letter`, { config: outboxReaders }, async (request, reply) => {
    const letter = await messages.letter(request.principal!, request.params.id);
    if (!letter) throw notFound();
    const status = statusOf(letter.message, now());
    return reply.view('messages/views/letter.njk', {
      pageTitle: `Letter to print: ${describeMessage(letter.message).replace(/: letter$/, '')}`,
      letter,
      paragraphs: paragraphsOf(letter.body),
      languageName: languageInfo(letter.language).name,
      statusText: `Status: ${status.text.toLowerCase()}.`,
      backHref: paths.message(letter.message.id),
    });
  });

  app.post<IdParams>(`${paths.messages}/:id/posted`, { config: letterPosters }, async (request, reply) => {
    const result = await messages.markPosted(request.principal!, request.params.id);
    if (!result.ok) {
      if (result.errors.message === 'No such letter in your areas') throw notFound();
      return reply.code(409).view('error.njk', { pageTitle: 'The letter could not be marked as posted', message: result.errors.message });
    }
    return reply.redirect(`${paths.message(request.params.id)}?posted=1`, 303);
  });
}
