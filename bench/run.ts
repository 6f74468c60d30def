// `npm run bench`: runs every benchmark in its own process, one after the other (never in parallel: they
// measure CPU time on a shared machine).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url);
const only = process.argv[2];
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', new URL(file, dir).pathname], { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
