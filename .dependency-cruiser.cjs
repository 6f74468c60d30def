// The layer order of tokenledger's source, checked in `npm test` (npm run check:layers): data flows one way, so a
// folder imports only from folders below it, and nothing imports in a cycle.
//   base → conventions → ledger → instrumentation | runs → span-ledger → metrics → processor → setup → collector → cli
// `base/` holds domain-free pieces (the clock, containers); `config/` (settings and the argument parser) sits on base.
// Tests, benchmarks, examples and scripts may import anything; `index.ts` and the register entries are the top.
const LAYERS = ['base', 'config', 'conventions', 'ledger', 'instrumentation|runs', 'span-ledger', 'metrics', 'processor', 'setup', 'collector', 'cli'];

const folder = (names) => `^(${names})/`;

/** One rule per layer: none of its files imports a file of a layer above it. */
const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `no-upward-import-from-${layer.replace('|', '-or-')}`,
  comment: `${layer} is below ${LAYERS.slice(index + 1).join(', ')}: it must not import from them`,
  severity: 'error',
  from: { path: folder(layer), pathNot: '\\.test\\.ts$' },
  to: { path: folder(LAYERS.slice(index + 1).join('|')) },
}));

/** instrumentation and runs are siblings: neither imports the other. */
const siblings = [
  { name: 'no-instrumentation-to-runs', severity: 'error', from: { path: '^instrumentation/', pathNot: '\\.test\\.ts$' }, to: { path: '^runs/' } },
  { name: 'no-runs-to-instrumentation', severity: 'error', from: { path: '^runs/', pathNot: '\\.test\\.ts$' }, to: { path: '^instrumentation/' } },
];

module.exports = {
  forbidden: [
    ...upward,
    ...siblings,
    { name: 'no-circular', comment: 'no module reaches itself through its imports', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-source-to-tests',
      comment: 'shipped code never imports a test or benchmark helper',
      severity: 'error',
      from: { path: folder(LAYERS.join('|')), pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench|examples)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
