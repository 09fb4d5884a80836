import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Milliseconds from spawning `cara serve` to its first answered /health. */
async function timeToHealth(env: Record<string, string>): Promise<number> {
  const port = 21_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin/cara.js'), 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', CARA_SECRET: 'bench-secret-0123456789abcdef0123456789' },
    stdio: 'ignore',
  });
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the service did not answer /health within 60 s');
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Start-up time on a new embedded database, on an existing one, and on PostgreSQL when DATABASE_URL is set. */
export async function benchStartup(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cara-bench-'));
  try {
    const fresh = await timeToHealth({ CARA_DATA_DIR: dir });
    const existing = await timeToHealth({ CARA_DATA_DIR: dir });
    const lines = [
      'Start to first answered /health:',
      `  embedded PGlite, new data directory   ${fresh.toFixed(0).padStart(6)} ms`,
      `  embedded PGlite, existing data        ${existing.toFixed(0).padStart(6)} ms`,
    ];
    if (process.env.DATABASE_URL) {
      const server = await timeToHealth({ DATABASE_URL: process.env.DATABASE_URL });
      lines.push(`  PostgreSQL server (DATABASE_URL)      ${server.toFixed(0).padStart(6)} ms`);
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
