import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment } from 'nunjucks';
import { paths } from './paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '../..');
const nodeModules = path.join(projectRoot, 'node_modules');

export const SERVICE_NAME = 'CARA case manager';

/** Where Nunjucks looks for templates: our layouts, feature views, then GOV.UK and MoJ macros. */
export const templateDirectories = [
  path.join(projectRoot, 'src/web/views'),
  path.join(projectRoot, 'src/features'),
  path.join(nodeModules, 'govuk-frontend/dist'),
  path.join(nodeModules, '@ministryofjustice/frontend'),
];

/** Static files served straight from the npm packages: no front-end build. */
export const staticDirectories = [
  { root: path.join(nodeModules, 'govuk-frontend/dist/govuk/assets'), prefix: '/assets/' },
  { root: path.join(nodeModules, 'govuk-frontend/dist/govuk'), prefix: '/assets/govuk/', allow: /\.(css|js|map)$/ },
  { root: path.join(nodeModules, '@ministryofjustice/frontend/moj'), prefix: '/assets/moj/', allow: /\.(css|js|map|png|svg)$/ },
  { root: path.join(projectRoot, 'src/web/public'), prefix: '/assets/app/' },
];

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "3 November 2025" for a YYYY-MM-DD calendar date or an instant (shown in Europe/London). */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return londonDate.format(new Date(`${value}T12:00:00Z`));
  }
  return londonDate.format(new Date(value));
}

/** "3 November 2025 at 14:05" in Europe/London. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return londonDateTime.format(new Date(value)).replace(', ', ' at ');
}

/** Filters and globals every template can use. */
export function configureNunjucks(env: Environment): void {
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  env.addGlobal('paths', paths);
  env.addGlobal('serviceName', SERVICE_NAME);
}
