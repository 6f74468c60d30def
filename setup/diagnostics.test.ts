import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OneLineDiagLogger } from './diagnostics.ts';

function logger(quietForeignInfo = false) {
  const lines: string[] = [];
  let now = 0;
  const log = new OneLineDiagLogger({ write: (line) => lines.push(line), now: () => now, quietForeignInfo });
  return { log, lines, advance: (ms: number) => (now += ms) };
}

test('diagnostics: the same problem is one line, whatever numbers it carries, until a minute has passed', () => {
  const { log, lines, advance } = logger();
  log.warn('tokenledger: telemetry export failed', new Error('connect ECONNREFUSED 127.0.0.1:4318'));
  log.warn('tokenledger: telemetry export failed', new Error('connect ECONNREFUSED 127.0.0.1:4319'));
  advance(59_999);
  log.warn('tokenledger: telemetry export failed', new Error('connect ECONNREFUSED 127.0.0.1:4318'));
  assert.deepEqual(lines, ['tokenledger: telemetry export failed: connect ECONNREFUSED 127.0.0.1:4318']);
  advance(1);
  log.warn('tokenledger: telemetry export failed', new Error('connect ECONNREFUSED 127.0.0.1:4318'));
  assert.equal(lines[1], 'tokenledger: telemetry export failed: connect ECONNREFUSED 127.0.0.1:4318 (2 more since last shown)');
});

test('diagnostics: distinct problems each get their line, and a multi-line message is one line', () => {
  const { log, lines } = logger();
  log.warn('tokenledger: no price for openai model "a"');
  log.warn('tokenledger: no price for openai model "b"');
  log.error('Export failed:\n  at line one\n  at line two', { code: 14 });
  assert.deepEqual(lines, [
    'tokenledger: no price for openai model "a"',
    'tokenledger: no price for openai model "b"',
    'tokenledger: OpenTelemetry: Export failed: at line one at line two: {"code":14}',
  ]);
});

test("diagnostics: with the level left at its default, OpenTelemetry's own info lines are left out, its warnings kept", () => {
  const { log, lines } = logger(true);
  log.info('Export retry time 1160ms exceeds remaining timeout 163ms, not retrying further.');
  log.warn('Dropped 3 spans');
  log.info('tokenledger: price data refreshed');
  assert.deepEqual(lines, ['tokenledger: OpenTelemetry: Dropped 3 spans', 'tokenledger: price data refreshed']);
});
