// After the two tsc runs: mark dist/cjs as CommonJS and give it the declarations emitted for dist/esm
// (module-format-neutral: no `export =`, no import.meta), so CJS consumers get types too.
import { cpSync, writeFileSync } from 'node:fs';

writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
cpSync('dist/esm', 'dist/cjs', { recursive: true, filter: (source) => !source.endsWith('.js') && !source.endsWith('.js.map') });
