// The docs a newcomer walks: every relative link and `#anchor` in them resolves (remark-validate-links, run through
// remark's CLI, which checks headings across files: the file exists, the anchor is the GitHub slug of one of its
// headings), and the README stays a front door.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const remarkCli = join(root, 'node_modules', 'remark-cli', 'cli.js');

/** README.md, conventions/README.md, every page of docs/ (not the generated API reference), the examples' READMEs. */
function markdownFiles(): string[] {
  const under = (folder: string, keep: (path: string) => boolean) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .map((path) => join(folder, path))
      .filter(keep);
  return [
    'README.md',
    'conventions/README.md',
    ...under('docs', (path) => path.endsWith('.md') && !path.startsWith(join('docs', 'api', ''))),
    ...under('examples', (path) => path.endsWith('README.md')),
  ].sort();
}

test('docs: every relative link and anchor resolves', async () => {
  const files = markdownFiles();
  assert.ok(files.includes('docs/configuration.md'), files.join(' '));
  const args = [remarkCli, '--no-config', '--no-ignore', '--no-color', '--no-stdout', '--frail', '--quiet'];
  // repository: false, so nothing is looked up online; full GitHub URLs are left alone.
  args.push('--use', 'remark-gfm', '--use', 'remark-validate-links=repository:false', ...files);
  const result = await promisify(execFile)(process.execPath, args, { cwd: root }).catch((error: { code?: number; stderr?: string }) => ({
    stderr: `exit code ${error.code}\n${error.stderr ?? ''}`,
  }));
  assert.equal(result.stderr, '');
});

test('docs: the README is a front door, under 300 lines', () => {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n').length;
  assert.ok(lines < 300, `README.md has ${lines} lines`);
});
