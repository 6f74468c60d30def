// The package as `npm pack` makes it, installed into an app as the README's quickstart says: every file its entry
// points name is in it, it ships no source maps pointing at files it does not contain, its `engines` range holds
// the Node this suite runs on, and an app runs under `--require tokenledger/register` from the unpacked tarball.
// Needs the build (`npm test` runs it first). The tarball's dependencies are linked from this checkout's
// node_modules rather than installed from the registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeProvider } from './fake-provider.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let workdir: string;
let tarball: string;
let files: string[];
let provider: FakeProvider;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'tokenledger-pack-'));
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', workdir], { cwd: root, encoding: 'utf8' }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(workdir, packed[0]!.filename);
  files = packed[0]!.files.map((file) => file.path);
  provider = await new FakeProvider().start();
});
after(async () => {
  await provider.stop();
  rmSync(workdir, { recursive: true, force: true });
});

test('package: every entry point package.json names is in the tarball', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
    bin: Record<string, string>;
    exports: unknown;
  };
  const targets = new Set<string>([manifest.main, manifest.types, ...Object.values(manifest.bin)]);
  const walk = (value: unknown) => {
    if (typeof value === 'string') targets.add(value);
    else if (value && typeof value === 'object') for (const child of Object.values(value)) walk(child);
  };
  walk(manifest.exports);
  for (const target of targets) assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} is packed`);
  for (const build of ['esm', 'cjs']) assert.ok(files.includes(`dist/${build}/package-require.cjs`), `dist/${build}/package-require.cjs is packed`);
});

test('package: no source maps, so none points at a file the tarball lacks', () => {
  assert.deepEqual(
    files.filter((file) => file.endsWith('.map')),
    [],
  );
  const withMapComment = files.filter((file) => file.endsWith('.js') && readFileSync(join(root, file), 'utf8').includes('sourceMappingURL'));
  assert.deepEqual(withMapComment, []);
});

test('package: the engines range is the Node line this suite runs on', () => {
  const range = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  assert.equal(range, '>=22.15 <23');
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  assert.ok(major === 22 && minor >= 15, `Node ${process.versions.node} is in ${range}`);
});

test('package: the quickstart: an app with the tarball installed runs under --require tokenledger/register', async () => {
  const app = join(workdir, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'tokenledger'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'tokenledger'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tokenledger' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  writeFileSync(
    join(app, 'app.js'),
    [
      "const OpenAI = require('openai').default;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the app's own source, a template literal in it
      "const client = new OpenAI({ apiKey: 'k', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });",
      "client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] }).then((c) => console.log(c.id));",
    ].join('\n'),
  );
  // Asynchronously: the fake provider answers from this process.
  const result = await promisify(execFile)(process.execPath, ['--require', 'tokenledger/register', 'app.js'], {
    cwd: app,
    encoding: 'utf8',
    timeout: 300_000, // a hang guard only
    // The fake provider is on this machine, which tokenledger would take for a local model server (unpriced).
    env: {
      PATH: process.env.PATH ?? '',
      FAKE_PROVIDER_URL: provider.url,
      TOKENLEDGER_PROVIDER_URLS: `${provider.url}/v1=openai`,
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: 'none',
    },
  });
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /name: 'chat gpt-5\.5'/);
  assert.match(result.stdout, /'tokenledger\.cost\.usd': 0\.007355/);
  assert.match(result.stdout, /^chatcmpl-mock0001\n/);
});
