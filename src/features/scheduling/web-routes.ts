import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, todayInLondon } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { UserFacingError, notFound } from '../../web/errors.ts';
import { errorList, formString } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import type { Area } from '../areas/repository.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';
import { facilitatorCalendar } from './calendar.ts';
import {
  EMPTY_FACILITATOR,
  EMPTY_UNAVAILABLE_DATE,
  EMPTY_VENUE,
  applyDateChange,
  emptyRunForm,
  formErrorsFrom,
  readAreaFilter,
  readBookingForm,
  readCancelForm,
  readFacilitatorForm,
  readOfferForm,
  readPlacementsForm,
  readRunForm,
  readUnavailableDateForm,
  readVenueForm,
  runFormErrors,
  type DatePart,
  type FacilitatorFormValues,
  type RunFormValues,
  type UnavailableDateValues,
  type VenueFormValues,
} from './forms.ts';
import {
  areaItems,
  bookableRunItems,
  dateInputItems,
  facilitatorItems,
  facilitatorRows,
  facilitatorSummaryRows,
  facilitatorUserItems,
  fillLevel,
  fullName,
  interpreterChoices,
  interpreterItems,
  languageItems,
  noticeFor,
  personLanguageText,
  placementErrors,
  placementView,
  rosterRows,
  runListItem,
  runSummaryRows,
  runTitle,
  runsByMonth,
  sexCheckboxItems,
  sexItems,
  subjectSummaryRows,
  unavailableDateRows,
  unsuitableRuns,
  venueItems,
  venueRows,
  waitingRows,
  withNames,
  workshopNavigation,
  yesNoItems,
} from './presenters.ts';

/** Everyone who works with runs: coordinators and admins in their areas, facilitators on their own runs. */
const runViewers = { access: { roles: ['coordinator', 'admin', 'facilitator'] } } as const;
/** Only a provider's coordinator plans runs and books people onto them. */
const coordinators = { access: { roles: ['coordinator'] } } as const;
const facilitators = { access: { roles: ['facilitator'] } } as const;
/** The calendar feed: its unguessable token is the credential (calendar apps cannot sign in). */
const tokenHolders = { access: 'public' } as const;

type IdParams = { Params: { id: string } };
type BookingParams = { Params: { id: string; bookingId: string } };
type TokenParams = { Params: { token: string } };

/** Runs listed as upcoming: any whose Part B is still to come (Part A at most this long ago). */
const LONGEST_RUN_DAYS = 60;

/**
 * Workshop scheduling pages: the list of runs and a run's roster, creating runs, venues and
 * facilitators, booking from a referral, the waitlist and automatic placement, and each
 * facilitator's private calendar feed.
 */
export async function schedulingWebRoutes(app: FastifyInstance): Promise<void> {
  const { scheduling, areas } = app.services;
  const today = () => todayInLondon(app.services.clock());
  const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
  const principalOf = (request: FastifyRequest): Principal => request.principal!;
  const namesOf = (list: readonly Area[]) => new Map(list.map((a) => [a.id, a.name]));
  const heldAreas = (request: FastifyRequest) => areas.list(principalOf(request).areaIds);
  const statusFor = (errors: FieldErrors) => (Object.keys(errors).length > 0 ? 422 : 200);

  /** The area a `?area=` filter names, among the caller's; all of them when it names none. */
  function areaFilter(source: unknown, held: readonly Area[]) {
    const slug = readAreaFilter(source, held.map((a) => a.slug));
    const area = held.find((a) => a.slug === slug);
    return { slug, areaIds: area ? [area.id] : undefined, items: held.length > 1 ? areaItems(held, slug, 'All your areas') : undefined };
  }

  // -------------------------------------------------------------------------
  // The runs
  // -------------------------------------------------------------------------

  app.get(paths.runs, { config: runViewers }, async (request, reply) => {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const isFacilitator = principal.role === 'facilitator';
    const filter = isFacilitator ? { slug: '', areaIds: undefined, items: undefined } : areaFilter(request.query, held);
    const runs = (await scheduling.repository.runs(scopeOf(principal), { fromDate: addDays(today(), -LONGEST_RUN_DAYS), ...(filter.areaIds ? { areaIds: filter.areaIds } : {}) })).filter(
      (run) => run.partB.date >= today(),
    );
    return reply.view('scheduling/views/runs.njk', {
      pageTitle: isFacilitator ? 'Your upcoming sessions' : 'Upcoming runs',
      workshopNavigation: workshopNavigation(paths.runs, principal.role),
      isFacilitator,
      isCoordinator: principal.role === 'coordinator',
      months: runsByMonth(runs, namesOf(held)),
      showArea: held.length > 1 && !isFacilitator,
      areaFilter: filter.items,
      calendar: isFacilitator ? await scheduling.calendarLinkStatus(principal) : undefined,
      notice: noticeFor(query(request).done),
    });
  });

  /** A run's page with its roster; for coordinators, who a free place can be offered to. */
  async function renderRun(request: FastifyRequest<IdParams>, reply: FastifyReply, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const found = await scheduling.runWithRoster(principal, request.params.id);
    if (!found) throw notFound();
    const { run, roster } = found;
    const isCoordinator = principal.role === 'coordinator';
    const done = query(request).done;
    const showOffer = isCoordinator && (done === 'cancelled' || Boolean(errors.offer));
    const candidates = showOffer ? await scheduling.offerCandidates(principal, run.id) : [];
    const held = await heldAreas(request);
    return reply.code(statusFor(errors)).view('scheduling/views/run.njk', {
      pageTitle: runTitle(run),
      workshopNavigation: workshopNavigation(paths.runs, principal.role),
      backLink: { href: paths.runs, text: 'All runs' },
      run: { id: run.id, title: runTitle(run), cancelled: Boolean(run.cancelledAt), bookHref: paths.runBook(run.id) },
      summary: runSummaryRows(run, held.length > 1 ? namesOf(held).get(run.areaId) : undefined),
      fill: fillLevel(run),
      roster: rosterRows(run.id, roster, { coordinator: isCoordinator && !run.cancelledAt, referralLinks: principal.role !== 'facilitator' }),
      isCoordinator,
      showOffer,
      offerTo: candidates.map((c) => ({ referralId: c.id, name: fullName(c), href: paths.referral(c.id), completeBy: c.completeBy, language: personLanguageText(c) })),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(done),
      errors,
      errorList: errorList(errors, { offer: 'offer' }),
    });
  }

  app.get<IdParams>('/runs/:id', { config: runViewers }, (request, reply) => renderRun(request, reply));

  /** Books someone from the offer list onto the run. */
  app.post<IdParams>('/runs/:id/book', { config: coordinators }, async (request, reply) => {
    const form = readOfferForm(request.body);
    if (!form.input) return renderRun(request, reply, { offer: form.errors.referralId ?? 'Choose someone to book' });
    const outcome = await scheduling.book(principalOf(request), form.input.referralId, request.params.id);
    if (outcome.ok) return reply.redirect(`${paths.run(request.params.id)}?done=booked`, 303);
    if (outcome.errors.run && !outcome.errors.referral) throw notFound();
    return renderRun(request, reply, { offer: `They cannot be booked on this run. ${Object.values(outcome.errors).join('. ')}` });
  });

  // Cancelling a booking: a page of its own, because it needs a reason.

  async function renderCancel(request: FastifyRequest<BookingParams>, reply: FastifyReply, values = { reason: '' }, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const booking = await scheduling.repository.liveBooking(scopeOf(principal), request.params.id, request.params.bookingId);
    const run = booking && (await scheduling.repository.run(scopeOf(principal), request.params.id));
    if (!booking || !run) throw notFound();
    return reply.code(statusFor(errors)).view('scheduling/views/cancel.njk', {
      pageTitle: `Cancel ${fullName(booking)}’s booking`,
      backLink: { href: paths.run(run.id) },
      name: fullName(booking),
      runTitle: runTitle(run),
      runHref: paths.run(run.id),
      action: paths.runBookingCancel(run.id, booking.bookingId),
      values,
      errors,
      errorList: errorList(errors),
    });
  }

  app.get<BookingParams>('/runs/:id/bookings/:bookingId/cancel', { config: coordinators }, (request, reply) => renderCancel(request, reply));

  app.post<BookingParams>('/runs/:id/bookings/:bookingId/cancel', { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const form = readCancelForm(request.body);
    if (!form.input) return renderCancel(request, reply, form.values, form.errors);
    const booking = await scheduling.repository.liveBooking(scopeOf(principal), request.params.id, request.params.bookingId);
    if (!booking) throw notFound();
    const result = await scheduling.cancelBooking(principal, booking.bookingId, form.input.reason);
    if (!result.ok) return renderCancel(request, reply, form.values, formErrorsFrom(result.errors));
    return reply.redirect(`${paths.run(request.params.id)}?done=cancelled#offer`, 303);
  });

  // -------------------------------------------------------------------------
  // Creating a run
  // -------------------------------------------------------------------------

  /** The area the new-run form is for: the only one, or the one chosen (`area`, from the query or the body). */
  function runArea(held: readonly Area[], source: unknown): Area | undefined {
    if (held.length === 1) return held[0];
    const slug = formString(source, 'area');
    return held.find((a) => a.slug === slug);
  }

  async function renderChooseArea(request: FastifyRequest, reply: FastifyReply, held: readonly Area[], error?: string) {
    const errors: FieldErrors = error ? { area: error } : {};
    return reply.code(error ? 422 : 200).view('scheduling/views/choose-area.njk', {
      pageTitle: 'Which area is the run in?',
      workshopNavigation: workshopNavigation(paths.runs, principalOf(request).role),
      backLink: { href: paths.runs },
      areaItems: held.map((a) => ({ value: a.slug, text: a.name })),
      errors,
      errorList: errorList(errors, { area: 'area' }),
    });
  }

  /** What the new-run form offers for an area: its venues, facilitators, languages and interpreters. */
  async function runChoices(principal: Principal, area: Area) {
    const scope = scopeOf(principal);
    const [venues, areaFacilitators, waiting] = await Promise.all([
      scheduling.repository.venues(scope).then((list) => list.filter((v) => v.areaId === area.id)),
      scheduling.repository.facilitators(scope, [area.id]),
      scheduling.repository.waiting(scope, [area.id]),
    ]);
    const interpreters = interpreterChoices(area.policy.languages, waiting.filter((w) => w.interpreterNeeded).map((w) => w.preferredLanguage));
    return { venues, facilitators: areaFacilitators, languages: area.policy.languages, interpreters };
  }

  async function renderRunForm(
    request: FastifyRequest,
    reply: FastifyReply,
    area: Area,
    several: boolean,
    values: RunFormValues,
    errors: FieldErrors = {},
    dateErrorParts: Record<string, DatePart[]> = {},
  ) {
    const principal = principalOf(request);
    const choices = await runChoices(principal, area);
    const wrongParts = (field: string): DatePart[] => (errors[field] ? (dateErrorParts[field] ?? ['day', 'month', 'year']) : []);
    const firstWrong = (field: string) => `${field.split('.')[0]}-${wrongParts(field)[0] ?? 'day'}`;
    const { min, max } = area.policy.daysBetweenParts;
    return reply.code(statusFor(errors)).view('scheduling/views/run-new.njk', {
      pageTitle: 'Create a run',
      workshopNavigation: workshopNavigation(paths.runs, principal.role),
      backLink: { href: several ? paths.runNew : paths.runs },
      area: { slug: area.slug, name: area.name, several },
      ready: choices.venues.length > 0 && choices.facilitators.length >= 2,
      hasVenues: choices.venues.length > 0,
      values,
      venueItems: venueItems(choices.venues, values.venueId),
      sexItems: sexItems(values.sex),
      languageItems: languageItems(choices.languages, values.language),
      interpreterItems: interpreterItems(choices.interpreters, values.interpreterLanguages),
      facilitator1Items: facilitatorItems(choices.facilitators, values.facilitator1, 'Choose the first facilitator'),
      facilitator2Items: facilitatorItems(choices.facilitators, values.facilitator2, 'Choose the second facilitator'),
      partADateItems: dateInputItems(values.partA.date, wrongParts('partA.date')),
      partBDateItems: dateInputItems(values.partB.date, wrongParts('partB.date')),
      gapHint: min === max ? `Part B must be exactly ${min} days after Part A.` : `Part B must be ${min} to ${max} days after Part A.`,
      groupCapacity: area.policy.groupCapacity,
      errors,
      errorList: errorList(errors, { sex: 'sex', interpreterLanguages: 'interpreterLanguages', 'partA.date': firstWrong('partA.date'), 'partB.date': firstWrong('partB.date') }),
    });
  }

  app.get(paths.runNew, { config: coordinators }, async (request, reply) => {
    const held = await heldAreas(request);
    const area = runArea(held, request.query);
    if (!area) return renderChooseArea(request, reply, held, 'area' in query(request) ? 'Select the area the run is in' : undefined);
    return renderRunForm(request, reply, area, held.length > 1, emptyRunForm({ capacity: area.policy.groupCapacity, language: area.policy.languages[0] ?? 'en' }));
  });

  app.post(paths.runNew, { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const area = runArea(held, request.body);
    if (!area) return renderChooseArea(request, reply, held, 'Select the area the run is in');
    const choices = await runChoices(principal, area);
    const form = readRunForm(request.body, {
      venueIds: choices.venues.map((v) => v.id),
      facilitatorIds: choices.facilitators.map((f) => f.id),
      languages: choices.languages,
      interpreterLanguages: choices.interpreters,
    });
    if (!form.input) return renderRunForm(request, reply, area, held.length > 1, form.values, form.errors, form.dateErrorParts);
    const result = await scheduling.createRun(principal, { areaId: area.id, ...form.input });
    if (result.ok) return reply.redirect(`${paths.run(result.value)}?done=run-created`, 303);
    // The rules name facilitators and other runs by id: show their names instead.
    const otherRuns = await scheduling.repository.runs(scopeOf(principal), { fromDate: today(), areaIds: [area.id] });
    const names = new Map([...choices.facilitators.map((f) => [f.id, f.name] as const), ...otherRuns.map((r) => [r.id, `the ${runListItem(r).title} run`] as const)]);
    return renderRunForm(request, reply, area, held.length > 1, form.values, withNames(runFormErrors(result.errors), names));
  });

  // -------------------------------------------------------------------------
  // Venues and facilitators
  // -------------------------------------------------------------------------

  async function renderVenues(request: FastifyRequest, reply: FastifyReply, values: VenueFormValues = EMPTY_VENUE, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const venues = await scheduling.repository.venues(scopeOf(principal));
    return reply.code(statusFor(errors)).view('scheduling/views/venues.njk', {
      pageTitle: 'Venues',
      workshopNavigation: workshopNavigation(paths.runVenues, principal.role),
      venues: venueRows(venues, namesOf(held)),
      showArea: held.length > 1,
      areaItems: held.length > 1 ? areaItems(held, values.area) : undefined,
      stepFreeItems: yesNoItems(values.stepFree),
      values,
      errors,
      errorList: errorList(errors, { stepFree: 'stepFree' }),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(query(request).done),
    });
  }

  app.get(paths.runVenues, { config: coordinators }, (request, reply) => renderVenues(request, reply));

  app.post(paths.runVenues, { config: coordinators }, async (request, reply) => {
    const held = await heldAreas(request);
    const form = readVenueForm(request.body, new Map(held.map((a) => [a.slug, a.id])));
    if (!form.input) return renderVenues(request, reply, form.values, form.errors);
    const result = await scheduling.createVenue(principalOf(request), form.input);
    if (!result.ok) return renderVenues(request, reply, form.values, formErrorsFrom(result.errors));
    return reply.redirect(`${paths.runVenues}?done=venue-added`, 303);
  });

  async function renderFacilitators(request: FastifyRequest, reply: FastifyReply, values: FacilitatorFormValues = EMPTY_FACILITATOR, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const scope = scopeOf(principal);
    const held = await heldAreas(request);
    const [list, accounts] = await Promise.all([scheduling.repository.facilitators(scope), scheduling.repository.facilitatorUsers(scope)]);
    const names = namesOf(held);
    return reply.code(statusFor(errors)).view('scheduling/views/facilitators.njk', {
      pageTitle: 'Facilitators',
      workshopNavigation: workshopNavigation(paths.runFacilitators, principal.role),
      facilitators: facilitatorRows(list, new Map(accounts.map((a) => [a.id, `${a.name} (${a.email})`])), names, today()),
      showArea: held.length > 1,
      areaItems: held.length > 1 ? areaItems(held, values.area) : undefined,
      sexItems: sexCheckboxItems(values.sexes),
      accountItems: facilitatorUserItems(accounts, values.userId, names),
      values,
      errors,
      errorList: errorList(errors, { sexes: 'sexes' }),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(query(request).done),
    });
  }

  app.get(paths.runFacilitators, { config: coordinators }, (request, reply) => renderFacilitators(request, reply));

  app.post(paths.runFacilitators, { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const accounts = await scheduling.repository.facilitatorUsers(scopeOf(principal));
    const form = readFacilitatorForm(request.body, new Map(held.map((a) => [a.slug, a.id])), accounts);
    if (!form.input) return renderFacilitators(request, reply, form.values, form.errors);
    const result = await scheduling.createFacilitator(principal, form.input);
    if (!result.ok) return renderFacilitators(request, reply, form.values, formErrorsFrom(result.errors));
    return reply.redirect(`${paths.runFacilitators}?done=facilitator-added`, 303);
  });

  async function renderFacilitator(request: FastifyRequest<IdParams>, reply: FastifyReply, values: UnavailableDateValues = EMPTY_UNAVAILABLE_DATE, errors: FieldErrors = {}, wrong: DatePart[] = []) {
    const principal = principalOf(request);
    const scope = scopeOf(principal);
    const facilitator = (await scheduling.repository.facilitators(scope)).find((f) => f.id === request.params.id);
    if (!facilitator) throw notFound();
    const [held, accounts, runs] = await Promise.all([
      heldAreas(request),
      scheduling.repository.facilitatorUsers(scope, [facilitator.areaId]),
      scheduling.repository.runs(scope, { fromDate: addDays(today(), -LONGEST_RUN_DAYS), areaIds: [facilitator.areaId] }),
    ]);
    const account = facilitator.userId ? accounts.find((a) => a.id === facilitator.userId) : undefined;
    return reply.code(statusFor(errors)).view('scheduling/views/facilitator.njk', {
      pageTitle: facilitator.name,
      workshopNavigation: workshopNavigation(paths.runFacilitators, principal.role),
      backLink: { href: paths.runFacilitators, text: 'All facilitators' },
      name: facilitator.name,
      summary: facilitatorSummaryRows(facilitator, facilitator.userId ? (account ? `${account.name} (${account.email})` : 'A disabled account') : 'None', namesOf(held).get(facilitator.areaId) ?? ''),
      runs: runs.filter((r) => r.facilitatorIds.includes(facilitator.id) && r.partB.date >= today()).map((r) => runListItem(r)),
      dates: unavailableDateRows(facilitator.unavailableDates, today()),
      datesAction: paths.runFacilitator(facilitator.id),
      withReason: false,
      values,
      dateItems: dateInputItems(values.date, errors.date ? (wrong.length > 0 ? wrong : ['day', 'month', 'year']) : []),
      errors,
      errorList: errorList(errors, { date: `date-${wrong[0] ?? 'day'}` }),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(query(request).done),
    });
  }

  app.get<IdParams>('/runs/facilitators/:id', { config: coordinators }, (request, reply) => renderFacilitator(request, reply));

  app.post<IdParams>('/runs/facilitators/:id', { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const facilitator = (await scheduling.repository.facilitators(scopeOf(principal))).find((f) => f.id === request.params.id);
    if (!facilitator) throw notFound();
    const form = readUnavailableDateForm(request.body, today());
    if (!form.input) return renderFacilitator(request, reply, form.values, form.errors, form.dateErrorParts?.date);
    const dates = applyDateChange(facilitator.unavailableDates.map((date) => ({ date })), form.input, (date) => ({ date })).map((d) => d.date);
    const result = await scheduling.setFacilitatorUnavailable(principal, facilitator.id, dates);
    if (!result.ok) return renderFacilitator(request, reply, form.values, formErrorsFrom({ date: Object.values(result.errors).join('. ') }));
    return reply.redirect(`${paths.runFacilitator(facilitator.id)}?done=date-${form.input.kind === 'add' ? 'added' : 'removed'}`, 303);
  });

  // -------------------------------------------------------------------------
  // Booking a referral, and the dates the person cannot attend
  // -------------------------------------------------------------------------

  async function renderBooking(request: FastifyRequest<IdParams>, reply: FastifyReply, values = { runId: '' }, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const found = await scheduling.bookingSubject(principal, request.params.id);
    if (!found) throw notFound();
    const { subject, unavailableDates } = found;
    const [suitable, all] = await Promise.all([
      scheduling.suitableRuns(principal, subject.id),
      scheduling.repository.runs(scopeOf(principal), { fromDate: today(), areaIds: [subject.areaId] }),
    ]);
    const name = fullName(subject);
    return reply.code(statusFor(errors)).view('scheduling/views/book.njk', {
      pageTitle: `Book ${name} onto a run`,
      backLink: { href: paths.referral(subject.id), text: 'Back to the referral' },
      name,
      referralHref: paths.referral(subject.id),
      datesHref: paths.referralUnavailableDates(subject.id),
      action: paths.referralBook(subject.id),
      summary: subjectSummaryRows(subject, unavailableDates, today()),
      runItems: bookableRunItems(suitable, values.runId),
      otherRuns: unsuitableRuns(subject, unavailableDates, all, suitable, today()),
      values,
      errors,
      errorList: errorList(errors, { runId: suitable.length > 0 ? 'runId' : 'other-runs' }),
    });
  }

  app.get<IdParams>('/referrals/:id/book', { config: coordinators }, (request, reply) => renderBooking(request, reply));

  app.post<IdParams>('/referrals/:id/book', { config: coordinators }, async (request, reply) => {
    const form = readBookingForm(request.body);
    if (!form.input) return renderBooking(request, reply, form.values, form.errors);
    const outcome = await scheduling.book(principalOf(request), request.params.id, form.input.runId);
    if (outcome.ok) return reply.redirect(`${paths.referral(request.params.id)}?done=booked`, 303);
    return renderBooking(request, reply, form.values, { runId: `They cannot be booked on that run. ${Object.values(outcome.errors).join('. ')}` });
  });

  async function renderParticipantDates(request: FastifyRequest<IdParams>, reply: FastifyReply, values: UnavailableDateValues = EMPTY_UNAVAILABLE_DATE, errors: FieldErrors = {}, wrong: DatePart[] = []) {
    const principal = principalOf(request);
    const found = await scheduling.bookingSubject(principal, request.params.id);
    if (!found) throw notFound();
    const name = fullName(found.subject);
    return reply.code(statusFor(errors)).view('scheduling/views/participant-dates.njk', {
      pageTitle: `Dates ${name} cannot attend`,
      backLink: { href: paths.referralBook(found.subject.id), text: 'Back to booking' },
      name,
      referralHref: paths.referral(found.subject.id),
      bookHref: paths.referralBook(found.subject.id),
      dates: unavailableDateRows(found.unavailableDates, today()),
      datesAction: paths.referralUnavailableDates(found.subject.id),
      withReason: true,
      values,
      dateItems: dateInputItems(values.date, errors.date ? (wrong.length > 0 ? wrong : ['day', 'month', 'year']) : []),
      errors,
      errorList: errorList(errors, { date: `date-${wrong[0] ?? 'day'}` }),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(query(request).done),
    });
  }

  app.get<IdParams>('/referrals/:id/unavailable-dates', { config: coordinators }, (request, reply) => renderParticipantDates(request, reply));

  app.post<IdParams>('/referrals/:id/unavailable-dates', { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const found = await scheduling.bookingSubject(principal, request.params.id);
    if (!found) throw notFound();
    const form = readUnavailableDateForm(request.body, today());
    if (!form.input) return renderParticipantDates(request, reply, form.values, form.errors, form.dateErrorParts?.date);
    const dates = applyDateChange(found.unavailableDates, form.input, (date, reason) => ({ date, reason }));
    const result = await scheduling.setParticipantUnavailable(principal, found.subject.id, dates);
    if (!result.ok) return renderParticipantDates(request, reply, form.values, { date: Object.values(result.errors).join('. ') });
    return reply.redirect(`${paths.referralUnavailableDates(found.subject.id)}?done=date-${form.input.kind === 'add' ? 'added' : 'removed'}`, 303);
  });

  // -------------------------------------------------------------------------
  // The waitlist and automatic placement
  // -------------------------------------------------------------------------

  app.get(paths.runWaitlist, { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const filter = areaFilter(request.query, held);
    const waiting = await scheduling.readWaitlist(principal, filter.areaIds);
    return reply.view('scheduling/views/waitlist.njk', {
      pageTitle: 'Waiting for a place',
      workshopNavigation: workshopNavigation(paths.runWaitlist, principal.role),
      rows: waitingRows(waiting, namesOf(held)),
      showArea: held.length > 1,
      areaFilter: filter.items,
    });
  });

  async function renderPlacement(request: FastifyRequest, reply: FastifyReply, areaSlug: string | undefined, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const filter = areaFilter(areaSlug === undefined ? request.query : { area: areaSlug }, held);
    const { proposal, waiting, runs } = await scheduling.reviewPlacements(principal, filter.areaIds);
    const shownErrors = errors.placements ? errors : placementErrors(errors, waiting);
    return reply.code(statusFor(errors)).view('scheduling/views/placement.njk', {
      pageTitle: 'Automatic placement',
      workshopNavigation: workshopNavigation(paths.runPlacement, principal.role),
      view: placementView(proposal, waiting, runs, namesOf(held)),
      waitingCount: waiting.length,
      areaSlug: filter.slug,
      areaFilter: filter.items,
      showArea: held.length > 1,
      errors: shownErrors,
      errorList: errorList(shownErrors, Object.fromEntries(Object.keys(shownErrors).map((field) => [field, 'placements']))),
      notice: Object.keys(errors).length > 0 ? undefined : noticeFor(query(request).done),
    });
  }

  app.get(paths.runPlacement, { config: coordinators }, (request, reply) => renderPlacement(request, reply, undefined));

  /** Books exactly the placements the coordinator reviewed (sent back as hidden fields): all of them or none. */
  app.post(paths.runPlacement, { config: coordinators }, async (request, reply) => {
    const areaSlug = formString(request.body, 'area');
    const form = readPlacementsForm(request.body);
    if (!form.input) return renderPlacement(request, reply, areaSlug, form.errors);
    const result = await scheduling.confirmPlacements(principalOf(request), form.input.placements);
    if (!result.ok) return renderPlacement(request, reply, areaSlug, result.errors);
    return reply.redirect(`${paths.runPlacement}?done=placed${areaSlug ? `&area=${encodeURIComponent(areaSlug)}` : ''}`, 303);
  });

  // -------------------------------------------------------------------------
  // Facilitators' calendar feeds
  // -------------------------------------------------------------------------

  /** A new private calendar link, shown once (only its hash is kept); the old link stops working. */
  app.post(paths.runCalendarLink, { config: facilitators }, async (request, reply) => {
    const result = await scheduling.resetCalendarLink(principalOf(request));
    if (!result.ok) throw new UserFacingError(409, 'not_linked', Object.values(result.errors).join('. '));
    const url = `${app.config.publicUrl}${paths.calendarFeed(result.value)}`;
    return reply.header('cache-control', 'no-store').view('scheduling/views/calendar-link.njk', {
      pageTitle: 'Your calendar link',
      backLink: { href: paths.runs, text: 'Your upcoming sessions' },
      url,
    });
  });

  app.get<TokenParams>('/calendar/:token.ics', { config: tokenHolders }, async (request, reply) => {
    const runs = await scheduling.calendarFeed(request.params.token);
    if (!runs) throw notFound();
    const ics = facilitatorCalendar(runs, { generatedAt: app.services.clock(), host: new URL(app.config.publicUrl).hostname });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'inline; filename="cara-workshops.ics"')
      .header('x-robots-tag', 'noindex')
      .send(ics);
  });
}
