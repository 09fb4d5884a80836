/** What the outbox pages show: pure functions from messages to GOV.UK table rows and summary lists. */
import { formatDateTime } from '../../web/views.ts';
import { paths } from '../../web/paths.ts';
import { describeMessage, type OutboxMessage } from './delivery.ts';
import { languageInfo, type MessageLanguage } from './languages.ts';
import { paragraphsOf } from './render.ts';
import type { LanguageReview, MessageDetail, OutboxEntry } from './service.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export interface StatusView {
  text: string;
  classes: string;
}

/** A message's status in a coordinator's words (a letter is "to print", then "posted"). */
export function statusOf(message: Pick<OutboxMessage, 'status' | 'channel' | 'provider' | 'send_after'>, now: Date): StatusView {
  switch (message.status) {
    case 'queued':
      if (message.channel === 'letter') return message.provider === 'print' ? { text: 'To print', classes: 'govuk-tag--yellow' } : { text: 'Queued', classes: 'govuk-tag--blue' };
      return message.send_after.getTime() > now.getTime() ? { text: 'Scheduled', classes: 'govuk-tag--blue' } : { text: 'Queued', classes: 'govuk-tag--blue' };
    case 'sent':
      return message.channel === 'letter' ? { text: 'Posted', classes: 'govuk-tag--green' } : { text: 'Sent', classes: 'govuk-tag--light-blue' };
    case 'delivered':
      return { text: 'Delivered', classes: 'govuk-tag--green' };
    case 'failed':
      return { text: 'Not delivered', classes: 'govuk-tag--red' };
    case 'cancelled':
      return { text: 'Cancelled', classes: 'govuk-tag--grey' };
  }
}

const tag = (view: StatusView) => `<strong class="govuk-tag ${view.classes}">${escape(view.text)}</strong>`;

/** The language's name, marked when no professional translator has reviewed its wording. */
export function languageHtml(language: MessageLanguage, reviewed: boolean): string {
  const name = escape(languageInfo(language).name);
  return reviewed ? name : `${name}<br><strong class="govuk-tag govuk-tag--orange app-translation-tag">Not reviewed by a translator</strong>`;
}

const RECIPIENT_WORDS = { participant: 'Participant', victim: 'Victim' } as const;

/** The outbox list as a GOV.UK table's rows. A victim's message shows no name. */
export function outboxRows(entries: readonly OutboxEntry[], now: Date) {
  return entries.map((entry) => {
    const m = entry.message;
    const who = m.recipient === 'participant' ? `${escape(entry.participantName ?? '')}<br><span class="app-secondary-text">${RECIPIENT_WORDS.participant}</span>` : RECIPIENT_WORDS.victim;
    const when = m.status === 'queued' && m.send_after.getTime() > now.getTime() ? `Due ${formatDateTime(m.send_after)}` : formatDateTime(m.sent_at ?? m.created_at);
    return [
      { html: `<a class="govuk-link" href="${paths.message(m.id)}">${escape(describeMessage(m))}</a>` },
      { html: who },
      { text: entry.policeReference, classes: 'app-nowrap' },
      { html: languageHtml(entry.language, entry.reviewedByTranslator) },
      { html: tag(statusOf(m, now)) },
      { text: when },
    ];
  });
}

export const OUTBOX_HEAD = [{ text: 'Message' }, { text: 'To' }, { text: 'Police reference' }, { text: 'Language' }, { text: 'Status' }, { text: 'When' }];

/** The twelve languages and their review state, as a GOV.UK table. */
export function languageRows(languages: readonly LanguageReview[]) {
  return languages.map((l) => [
    { text: l.name },
    { html: `<span lang="${escape(l.code)}" dir="${languageInfo(l.code).direction}">${escape(l.nativeName)}</span>` },
    { html: l.reviewedByTranslator ? (l.code === 'en' ? 'Original wording' : 'Reviewed by a professional translator') : '<strong class="govuk-tag govuk-tag--orange">Not reviewed by a translator</strong>' },
  ]);
}

const EVENT_WORDS: Record<string, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
  cancelled: 'Cancelled',
  ready_to_print: 'Ready to print',
  posted: 'Posted',
  status_unknown: 'GOV.UK Notify stopped reporting on it',
};

function eventDetail(type: string, detail: Record<string, unknown>): string {
  if (typeof detail.reason === 'string') return detail.reason;
  if (type === 'queued' && typeof detail.sendAfter === 'string') return `to go ${formatDateTime(detail.sendAfter)}`;
  if (type === 'sent' && detail.provider === 'notify') return detail.foundAtProviderAfterRestart ? 'GOV.UK Notify already had it (found after a restart, not sent again)' : 'through GOV.UK Notify';
  if (type === 'sent' && detail.provider === 'local') return 'to the local outbox (GOV.UK Notify is not set up)';
  return '';
}

/** A message's summary list: what, to whom, how, in which language, where it has got to. */
export function messageSummaryRows(detail: MessageDetail, now: Date) {
  const m = detail.message;
  const rows = [
    { key: { text: 'To' }, value: { text: m.recipient === 'participant' ? `${detail.recipient.firstName} ${detail.recipient.lastName} (participant)` : `${detail.recipient.firstName} ${detail.recipient.lastName} (victim)` } },
    { key: { text: 'Police reference' }, value: { text: detail.policeReference } },
    { key: { text: 'Language' }, value: { html: languageHtml(detail.language, detail.reviewedByTranslator) } },
    { key: { text: 'Status' }, value: { html: tag(statusOf(m, now)) + (m.failure_reason ? ` <span class="app-secondary-text">${escape(m.failure_reason)}</span>` : '') } },
    { key: { text: m.status === 'queued' ? 'Due' : 'Sent' }, value: { text: formatDateTime(m.status === 'queued' ? m.send_after : (m.sent_at ?? m.created_at)) } },
  ];
  if (m.delivered_at) rows.push({ key: { text: 'Delivered' }, value: { text: formatDateTime(m.delivered_at) } });
  if (detail.fallbackFor) rows.push({ key: { text: 'Instead of' }, value: { html: `<a class="govuk-link" href="${paths.message(detail.fallbackFor)}">the text message that was not delivered</a>` } });
  if (detail.replacedBy) rows.push({ key: { text: 'Replaced by' }, value: { html: `<a class="govuk-link" href="${paths.message(detail.replacedBy)}">a letter</a>` } });
  return rows;
}

/** The message's history as a GOV.UK table's rows, oldest first. */
export function eventRows(detail: MessageDetail) {
  return detail.events.map((e) => [{ text: formatDateTime(e.at) }, { text: EVENT_WORDS[e.type] ?? e.type }, { text: eventDetail(e.type, e.detail) }, { text: e.actorLabel }]);
}

/** The body's paragraphs, each a list of lines, for the page and the letter. */
export { paragraphsOf };
