// The API reference (`npm run docs:api`, TypeDoc over the exports of `tokenledger` and `tokenledger/conventions`)
// builds without a warning: every export documented, every type it names exported, every link resolved
// (typedoc.json treats warnings as errors). Built into a temporary folder, so docs/api is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('api docs: the reference builds from the TSDoc without a warning', { timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'tokenledger-api-'));
  try {
    const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const result = await promisify(execFile)(process.execPath, [typedoc, '--out', out, '--logLevel', 'Warn'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
      stdout: `exit code ${error.code}\n${error.stdout ?? ''}`,
      stderr: error.stderr ?? '',
    }));
    assert.equal(`${result.stdout}${result.stderr}`, '');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
