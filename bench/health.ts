import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function load(url: string) {
  const result = await autocannon({ url, connections: 10, duration: DURATION_SECONDS, pipelining: 1 });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Requests per second and p99 latency on GET /health, beside a bare Fastify server as the floor. */
export async function benchHealth(): Promise<string[]> {
  const bare = Fastify();
  bare.get('/health', async () => ({ status: 'ok' }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareResult = await load(`${bareUrl}/health`);
  await bare.close();

  const config = loadConfig({ CARA_SECRET: 'bench-secret-0123456789abcdef0123456789', CARA_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, db: database.db, logger: false });
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const appResult = await load(`${appUrl}/health`);
  await app.close();
  await database.close();

  const line = (name: string, r: { rps: number; p99: number; errors: number }) =>
    `  ${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}`;
  return [
    `GET /health, 10 connections, ${DURATION_SECONDS} s each (${database.kind}):`,
    line('bare Fastify (floor)', bareResult),
    line('CARA /health (database round trip)', appResult),
  ];
}
