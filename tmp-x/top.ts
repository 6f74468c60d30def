import { readFileSync, readdirSync } from 'node:fs';
const dir = '/tmp/prof';
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().pop()!;
const prof = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const self = new Map<number, number>();
const dt = prof.timeDeltas as number[];
(prof.samples as number[]).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
const byFn = new Map<string, number>();
for (const node of prof.nodes) {
  const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
const total = [...byFn.values()].reduce((a, b) => a + b, 0);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5), k);
