// `npm run bench`: prints figures, never pass or fail. Each benchmark is bounded in time and
// sends traffic only to loopback. Later capabilities add their benchmarks to this list.
import os from 'node:os';
import { benchHealth } from './health.ts';
import { benchScheduling } from './scheduling.ts';
import { benchStartup } from './startup.ts';

const benchmarks: [string, () => Promise<string[]>][] = [
  ['startup', benchStartup],
  ['health', benchHealth],
  ['scheduling', benchScheduling],
];

const only = process.argv.slice(2);
console.log(`CARA benchmarks on Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}\n`);
for (const [name, run] of benchmarks) {
  if (only.length > 0 && !only.includes(name)) continue;
  const lines = await run();
  console.log(`${lines.join('\n')}\n`);
}
