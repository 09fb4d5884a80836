import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseEnvironment } from './support/database.ts';

const root = path.resolve(import.meta.dirname, '..');
let dir: string;
let dbEnv: { env: Record<string, string>; close: () => Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cara-process-'));
  dbEnv = await testDatabaseEnvironment(path.join(dir, 'data'));
});
afterAll(async () => {
  await dbEnv?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
}

/** Starts `cara demo` as a real process on a free port and waits for "running at". */
async function startDemo(port: number): Promise<Started> {
  const child = spawn(process.execPath, [path.join(root, 'bin/cara.js'), 'demo'], {
    cwd: dir,
    env: { ...process.env, ...dbEnv.env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const deadline = Date.now() + 45_000;
  while (!output.includes('running at')) {
    if (child.exitCode !== null) throw new Error(`cara demo exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`cara demo did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, port };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the service as a process', () => {
  it('starts with demo data, prints the sign-ins, shuts down cleanly on SIGTERM, and keeps its data on restart', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const first = await startDemo(port);
    expect(first.output()).toContain('Loaded demonstration data');
    expect(first.output()).toMatch(/coordinator@devon-cornwall\.example\s+coordinator/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });

    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    if (!dbEnv.env.DATABASE_URL) expect(existsSync(path.join(dir, 'data', 'cara.lock'))).toBe(false);

    const second = await startDemo(port);
    expect(second.output()).toContain('already had data');
    const exitedAgain = exitOf(second.child);
    second.child.kill('SIGINT');
    expect(await exitedAgain).toBe(0);
  }, 120_000);

  it('refuses to start on a bad setting, naming the variable', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/cara.js'), 'serve'], {
      cwd: dir,
      env: { ...process.env, ...dbEnv.env, PORT: 'eighty', CARA_SECRET: 'x'.repeat(40) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain('PORT');
  }, 60_000);
});
