// After the two tsc runs: mark dist/cjs as CommonJS and give it the declarations emitted for dist/esm
// (module-format-neutral: no `export =`, no import.meta), so CJS consumers get types too; copy the hand-written
// CommonJS helper (package-require.cjs) into both builds, which tsc does not emit.
import { cpSync, writeFileSync } from 'node:fs';

writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
cpSync('dist/esm', 'dist/cjs', { recursive: true, filter: (source) => !source.endsWith('.js') && !source.endsWith('.js.map') });
for (const dist of ['dist/esm', 'dist/cjs']) cpSync('package-require.cjs', `${dist}/package-require.cjs`);
