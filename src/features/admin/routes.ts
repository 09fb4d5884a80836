import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../domain/result.ts';
import { notFound } from '../../web/errors.ts';
import { errorList } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import type { Area } from '../areas/repository.ts';
import { SETUP_LINK_DAYS } from '../users/service.ts';
import type { Manager, UserChange } from '../users/service.ts';
import { actorOf } from '../auth/principal.ts';
import {
  AUDIT_FIELD_IDS,
  formErrorsFrom,
  policyFormValues,
  readAuditSearch,
  readNewUserForm,
  readPolicyForm,
  readPolicyJson,
  readRoleAndAreasForm,
  readTokenForm,
  type PolicyFormValues,
  type RoleAndAreasValues,
  type TokenFormValues,
} from './forms.ts';
import {
  adminNavigation,
  areaItems,
  areaListRows,
  areaNamesById,
  auditCaption,
  auditPagination,
  auditRows,
  dateItems,
  noticeFor,
  policyFormChoices,
  policyJsonErrors,
  policyJsonText,
  roleItems,
  statusTag,
  tokenHolderItems,
  tokenRows,
  userListCaption,
  userListRows,
  userSummary,
} from './presenters.ts';

/** Only administrators reach any admin page; access.ts enforces it for each route. */
const adminOnly = { access: { roles: ['admin'] } } as const;

type IdParams = { Params: { id: string } };

/** Where the error summary links a user-page problem that is not about a form field. */
const USER_PAGE_FIELD_IDS: Record<string, string> = { status: 'access', secondFactor: 'sign-in', setupLink: 'sign-in' };

/**
 * The admin section: users, areas and their policies, API tokens and the audit log. Every page is
 * for administrators only, and shows and changes only what belongs to the areas they hold.
 */
export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { users, areas, audit, managedApiTokens } = app.services;

  const managerOf = (request: FastifyRequest): Manager => ({ actor: actorOf(request.principal!), areaIds: request.principal!.areaIds });
  const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

  app.get(paths.admin, { config: adminOnly }, async (request, reply) => {
    const held = await areas.list(managerOf(request).areaIds);
    return reply.view('admin/views/index.njk', { adminNavigation: adminNavigation('home'), areaNames: held.map((a) => a.name).join(', ') || 'none' });
  });

  // Users

  app.get(paths.adminUsers, { config: adminOnly }, async (request, reply) => {
    const search = typeof query(request).q === 'string' ? (query(request).q as string).trim().slice(0, 200) : '';
    const found = await users.listManaged(managerOf(request), search);
    const names = areaNamesById(await areas.list());
    return reply.view('admin/views/users.njk', {
      adminNavigation: adminNavigation('users'),
      search,
      users: userListRows(found, names),
      caption: userListCaption(found.length, search),
    });
  });

  const renderNewUser = async (request: FastifyRequest, reply: FastifyReply, values: RoleAndAreasValues & { email: string; name: string }, errors: FieldErrors) => {
    const held = await areas.list(managerOf(request).areaIds);
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/views/user-new.njk', {
      adminNavigation: adminNavigation('users'),
      backLink: { href: paths.adminUsers },
      values,
      errors,
      errorList: errorList(errors),
      roleItems: roleItems(values.role),
      areaItems: areaItems(held, values.areas),
    });
  };

  app.get(paths.adminNewUser, { config: adminOnly }, (request, reply) => renderNewUser(request, reply, { email: '', name: '', role: '', areas: [] }, {}));

  app.post(paths.adminNewUser, { config: adminOnly }, async (request, reply) => {
    const manager = managerOf(request);
    const held = await areas.list(manager.areaIds);
    const form = readNewUserForm(request.body, held.map((a) => a.slug));
    if (Object.keys(form.errors).length > 0) return renderNewUser(request, reply, form.values, form.errors);
    const result = await users.create(
      { email: form.values.email, name: form.values.name, role: form.values.role, areaSlugs: form.values.areas },
      manager.actor,
      { allowedAreaIds: manager.areaIds },
    );
    if (!result.ok) return renderNewUser(request, reply, form.values, formErrorsFrom(result.errors, { area: 'areas' }));
    const { user, setupLink } = result.value;
    return reply.code(201).view('admin/views/user-created.njk', {
      adminNavigation: adminNavigation('users'),
      pageTitle: 'User added',
      heading: 'User added',
      user,
      setupLink,
      validDays: SETUP_LINK_DAYS,
      userHref: paths.adminUser(user.id),
    });
  });

  const renderUser = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    options: { values?: RoleAndAreasValues; errors?: FieldErrors; audited?: boolean } = {},
  ) => {
    const manager = managerOf(request);
    const user = options.audited === false ? await users.findManaged(userId, manager) : await users.viewManaged(userId, manager);
    if (!user) throw notFound();
    const [held, all] = await Promise.all([areas.list(manager.areaIds), areas.list()]);
    const errors = options.errors ?? {};
    const values = options.values ?? { role: user.role, areas: user.areaSlugs };
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/views/user.njk', {
      adminNavigation: adminNavigation('users'),
      backLink: { href: paths.adminUsers, text: 'All users' },
      notice: noticeFor(query(request).done),
      user,
      status: statusTag(user),
      isSelf: user.id === manager.actor.userId,
      summary: userSummary(user, areaNamesById(all), manager.areaIds),
      roleItems: roleItems(values.role),
      areaItems: areaItems(held, values.areas),
      errors,
      errorList: errorList(errors, USER_PAGE_FIELD_IDS),
    });
  };

  app.get<IdParams>('/admin/users/:id', { config: adminOnly }, (request, reply) => renderUser(request, reply, request.params.id));

  /** What a change's outcome means for the browser: back to the user's page, with a notice or the problems. */
  const afterUserChange = (request: FastifyRequest<IdParams>, reply: FastifyReply, change: UserChange, notice: string, values?: RoleAndAreasValues) => {
    if (change.outcome === 'not_found') throw notFound();
    if (change.outcome === 'refused') return renderUser(request, reply, request.params.id, { errors: formErrorsFrom(change.errors), audited: false, ...(values ? { values } : {}) });
    return reply.redirect(`${paths.adminUser(change.user.id)}?done=${change.changed.length > 0 ? notice : 'unchanged'}`, 303);
  };

  app.post<IdParams>('/admin/users/:id', { config: adminOnly }, async (request, reply) => {
    const manager = managerOf(request);
    const held = await areas.list(manager.areaIds);
    const form = readRoleAndAreasForm(request.body, held.map((a) => a.slug));
    if (Object.keys(form.errors).length > 0) return renderUser(request, reply, request.params.id, { values: form.values, errors: form.errors, audited: false });
    const change = await users.changeRoleAndAreas(request.params.id, { role: form.values.role, areaSlugs: form.values.areas }, manager);
    return afterUserChange(request, reply, change, 'updated', form.values);
  });

  app.post<IdParams>('/admin/users/:id/disable', { config: adminOnly }, async (request, reply) =>
    afterUserChange(request, reply, await users.disable(request.params.id, managerOf(request)), 'disabled'),
  );
  app.post<IdParams>('/admin/users/:id/enable', { config: adminOnly }, async (request, reply) =>
    afterUserChange(request, reply, await users.enable(request.params.id, managerOf(request)), 'enabled'),
  );
  app.post<IdParams>('/admin/users/:id/reset-second-factor', { config: adminOnly }, async (request, reply) =>
    afterUserChange(request, reply, await users.resetSecondFactor(request.params.id, managerOf(request)), 'second-factor-reset'),
  );
  app.post<IdParams>('/admin/users/:id/set-up-link', { config: adminOnly }, async (request, reply) => {
    const change = await users.newSetupLink(request.params.id, managerOf(request));
    if (change.outcome !== 'done' || !change.setupLink) return afterUserChange(request, reply, change, 'unchanged');
    return reply.view('admin/views/user-created.njk', {
      adminNavigation: adminNavigation('users'),
      pageTitle: 'New set-up link',
      heading: 'New set-up link',
      user: change.user,
      setupLink: change.setupLink,
      validDays: SETUP_LINK_DAYS,
      userHref: paths.adminUser(change.user.id),
    });
  });

  // Areas and their policies

  app.get(paths.adminAreas, { config: adminOnly }, async (request, reply) => {
    const held = await areas.list(managerOf(request).areaIds);
    return reply.view('admin/views/areas.njk', { adminNavigation: adminNavigation('areas'), areas: areaListRows(held) });
  });

  const heldArea = async (request: FastifyRequest<IdParams>): Promise<Area> => {
    const area = await areas.findHeld(request.params.id, managerOf(request).areaIds);
    if (!area) throw notFound();
    return area;
  };

  const renderArea = (
    request: FastifyRequest,
    reply: FastifyReply,
    area: Area,
    options: { form?: PolicyFormValues; formErrors?: FieldErrors; jsonText?: string; jsonErrors?: FieldErrors } = {},
  ) => {
    const form = options.form ?? policyFormValues(area.policy);
    const formErrors = options.formErrors ?? {};
    const json = policyJsonErrors(options.jsonErrors ?? {});
    const summary = [...errorList(formErrors), ...json.summary];
    return reply.code(summary.length > 0 ? 422 : 200).view('admin/views/area.njk', {
      adminNavigation: adminNavigation('areas'),
      backLink: { href: paths.adminAreas, text: 'All areas' },
      notice: noticeFor(query(request).done),
      area,
      form,
      formErrors,
      choices: policyFormChoices(form),
      json: { text: options.jsonText ?? policyJsonText(area.policy), message: json.message },
      errorList: summary,
    });
  };

  app.get<IdParams>('/admin/areas/:id', { config: adminOnly }, async (request, reply) => renderArea(request, reply, await heldArea(request)));

  const savePolicy = async (request: FastifyRequest<IdParams>, reply: FastifyReply, area: Area, policy: unknown, onRefused: (errors: FieldErrors) => unknown) => {
    const manager = managerOf(request);
    const change = await areas.updatePolicy(area.id, policy, manager.actor, { areaIds: manager.areaIds });
    if (change.outcome === 'not_found') throw notFound();
    if (change.outcome === 'refused') return onRefused(change.errors);
    return reply.redirect(`${paths.adminArea(area.id)}?done=${change.changed.length > 0 ? 'policy-saved' : 'unchanged'}`, 303);
  };

  app.post<IdParams>('/admin/areas/:id', { config: adminOnly }, async (request, reply) => {
    const area = await heldArea(request);
    const form = readPolicyForm(request.body, area.policy);
    if (Object.keys(form.errors).length > 0) return renderArea(request, reply, area, { form: form.values, formErrors: form.errors });
    return savePolicy(request, reply, area, form.policy, (errors) => renderArea(request, reply, area, { form: form.values, formErrors: formErrorsFrom(errors) }));
  });

  app.post<IdParams>('/admin/areas/:id/policy-json', { config: adminOnly }, async (request, reply) => {
    const area = await heldArea(request);
    const form = readPolicyJson(request.body);
    if (Object.keys(form.errors).length > 0) return renderArea(request, reply, area, { jsonText: form.values.policyJson, jsonErrors: form.errors });
    return savePolicy(request, reply, area, form.policy, (errors) => renderArea(request, reply, area, { jsonText: form.values.policyJson, jsonErrors: errors }));
  });

  // API tokens

  const renderTokens = async (request: FastifyRequest, reply: FastifyReply, values: TokenFormValues, errors: FieldErrors) => {
    const { tokens, holders } = await managedApiTokens.overview(managerOf(request));
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/views/tokens.njk', {
      adminNavigation: adminNavigation('tokens'),
      notice: noticeFor(query(request).done),
      tokens: tokenRows(tokens),
      holderItems: tokenHolderItems(holders, values.userId),
      values,
      errors,
      errorList: errorList(errors),
    });
  };

  app.get(paths.adminTokens, { config: adminOnly }, (request, reply) => renderTokens(request, reply, { userId: '', name: '' }, {}));

  app.post(paths.adminTokens, { config: adminOnly }, async (request, reply) => {
    const values = readTokenForm(request.body);
    const created = await managedApiTokens.create(values, managerOf(request));
    if (created.outcome === 'refused') return renderTokens(request, reply, values, created.errors);
    return reply.code(201).view('admin/views/token-created.njk', { adminNavigation: adminNavigation('tokens'), ...created });
  });

  app.post<IdParams>('/admin/tokens/:id/revoke', { config: adminOnly }, async (request, reply) => {
    const outcome = await managedApiTokens.revoke(request.params.id, managerOf(request));
    if (outcome === 'not_found') throw notFound();
    return reply.redirect(`${paths.adminTokens}?done=token-revoked`, 303);
  });

  // The audit log

  app.get(paths.adminAudit, { config: adminOnly }, async (request, reply) => {
    const form = readAuditSearch(request.query);
    const hasErrors = Object.keys(form.errors).length > 0;
    const result = hasErrors ? undefined : await audit.search(form.search, form.page, managerOf(request));
    return reply.code(hasErrors ? 422 : 200).view('admin/views/audit.njk', {
      adminNavigation: adminNavigation('audit'),
      values: form.values,
      errors: form.errors,
      errorList: errorList(form.errors, AUDIT_FIELD_IDS),
      fromItems: dateItems(form.values.from, Boolean(form.errors.from)),
      toItems: dateItems(form.values.to, Boolean(form.errors.to)),
      searched: result !== undefined,
      entries: result ? auditRows(result.entries) : [],
      resultsCaption: result ? auditCaption(result.page, result.entries.length) : '',
      pagination: result ? auditPagination(form.values, result.page, result.hasNextPage) : {},
    });
  });
}
