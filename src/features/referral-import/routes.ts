import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validReferralFacts } from '../../domain/eligibility/fixtures.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import { paths } from '../../web/paths.ts';
import { areaRepository } from '../areas/repository.ts';
import { actorOf, scopeOf } from '../auth/principal.ts';
import { safeEqual } from '../auth/tokens.ts';
import { referralsCsv } from './csv-format.ts';
import { importFormView, importedView } from './presenters.ts';
import { referralImportService } from './service.ts';

/** The largest file the upload page takes. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const policeOnly = { access: { roles: POLICE_ROLES } } as const;

/** What the upload form sent: a file, a problem to show beside the file input, or a forged form. */
type UploadForm = { kind: 'file'; fileName: string; content: Buffer } | { kind: 'invalid'; statusCode: number; message: string } | { kind: 'forged' };

/**
 * Reads the multipart upload form. Its first part must be `_csrf` matching the session's token
 * (the global CSRF hook cannot see a multipart body, so this route checks it before reading the file).
 */
async function readUploadForm(app: FastifyInstance, request: FastifyRequest): Promise<UploadForm> {
  // Not multipart (e.g. an ordinary form post): the global hook has already checked its token.
  if (!request.isMultipart()) return { kind: 'invalid', statusCode: 400, message: 'Select a CSV file' };
  const session = request.session;
  if (!session) return { kind: 'forged' };
  let csrfChecked = false;
  let upload: { fileName: string; content: Buffer } | undefined;
  try {
    for await (const part of request.parts()) {
      if (!csrfChecked) {
        if (part.type !== 'field' || part.fieldname !== '_csrf' || typeof part.value !== 'string' || !safeEqual(part.value, session.csrfToken)) return { kind: 'forged' };
        csrfChecked = true;
      } else if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname === 'file' && part.filename !== '') upload = { fileName: part.filename, content };
      }
    }
  } catch (error) {
    if (error instanceof app.multipartErrors.RequestFileTooLargeError) return { kind: 'invalid', statusCode: 413, message: 'The selected file must be smaller than 5 MB' };
    if (error instanceof app.multipartErrors.FilesLimitError) return { kind: 'invalid', statusCode: 400, message: 'Select only one CSV file' };
    request.log.info({ err: error }, 'referral import: unreadable upload');
    return { kind: 'invalid', statusCode: 400, message: 'The selected file could not be uploaded – try again' };
  }
  if (!csrfChecked) return { kind: 'forged' };
  if (!upload) return { kind: 'invalid', statusCode: 400, message: 'Select a CSV file' };
  if (!/\.csv$/i.test(upload.fileName)) return { kind: 'invalid', statusCode: 400, message: 'The selected file must be a CSV' };
  if (upload.content.length === 0) return { kind: 'invalid', statusCode: 400, message: 'The selected file is empty' };
  return { kind: 'file', ...upload };
}

function forgedForm(reply: FastifyReply) {
  return reply.code(403).view('error.njk', {
    pageTitle: 'Your form could not be sent',
    message: 'The form had expired or did not come from this service. Go back, reload the page and try again.',
  });
}

/**
 * Bulk referrals for police users: an upload page for a CSV file (all or nothing), the result, and
 * a sample file. Multipart parsing is registered here only, so no other route accepts uploads.
 */
export async function referralImportRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 6, fieldSize: 1024, headerPairs: 100 },
    throwFileSizeLimit: true,
  });
  const imports = referralImportService(app.services.referrals);
  const areas = areaRepository(app.db);

  app.get(paths.referralImport, { schema: { hide: true }, config: policeOnly }, async (_request, reply) => {
    return reply.view('referral-import/views/import.njk', importFormView({}));
  });

  app.get(paths.referralImportSample, { schema: { hide: true }, config: policeOnly }, async (request, reply) => {
    // The example referral of API.md, in the first of the user's areas so it imports as it is.
    const held = await areas.list(request.principal!.areaIds);
    const sample = validReferralFacts({ ...(held[0] ? { area: held[0].slug } : {}), policeReference: 'REF/2025/000001' });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="cara-referrals-sample.csv"')
      .send(referralsCsv([sample], { bom: true }));
  });

  app.post(paths.referralImport, { schema: { hide: true }, config: { ...policeOnly, csrfCheckedInMultipartHandler: true } }, async (request, reply) => {
    const form = await readUploadForm(app, request);
    if (form.kind === 'forged') return forgedForm(reply);
    if (form.kind === 'invalid') return reply.code(form.statusCode).view('referral-import/views/import.njk', importFormView({ fileError: form.message }));
    const principal = request.principal!;
    const outcome = await imports.importCsv(form.content, { scope: scopeOf(principal), actor: actorOf(principal) }, { fileName: form.fileName, channel: 'web upload' });
    if (!outcome.ok) return reply.code(422).view('referral-import/views/import.njk', importFormView({ fileName: form.fileName, problems: outcome.problems, unlisted: outcome.unlisted }));
    return reply.view('referral-import/views/imported.njk', importedView(form.fileName, outcome.summary));
  });
}
