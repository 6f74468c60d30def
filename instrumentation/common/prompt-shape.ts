// Cheap measurements of a request's prompt, taken before the call is sent: the tool results' share of
// the prompt text (to apportion the billed input) and a fingerprint of the stable prefix (to see cache busts).
// Walks the request once; strings are measured by length, never serialised. Binary payloads (images,
// documents, audio as base64) are skipped: their characters say nothing about their tokens.
import { hash } from 'node:crypto';
import { sameJson, snapshotOf, type Snapshot } from './json-snapshot.ts';

export type { ToolResultShare } from '../../ledger/usage-figures.ts';

// Thinking signatures are opaque base64 too (Anthropic `signature`, Gemini `thoughtSignature`).
const BINARY_KEYS = new Set(['data', 'inlineData', 'image_url', 'file_data', 'source', 'fileData', 'input_audio', 'signature', 'thoughtSignature']);

/** Characters of text in a prompt value: strings, arrays and objects (keys excluded), binary skipped. */
export function textLength(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (depth > 32 || value === null || typeof value !== 'object') return 0;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value) total += textLength(item, depth + 1);
    return total;
  }
  // for…in rather than Object.entries: no arrays allocated per object on every call.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!BINARY_KEYS.has(key)) total += textLength(record[key], depth + 1);
  }
  return total;
}

// An agent sends the same prefix on every step: the last few prefixes are kept as private copies (json-snapshot.ts)
// and a repeat is found by walking it beside its copy, without serialising it. Others are found by their JSON among
// the fingerprints of recent prefixes, so a repeat costs a Map lookup instead of a SHA-256 (≈1 µs a call in the SDK's
// flow). Both bounded in entries and characters. A copy is made of a prefix seen before, kept only when the walk can
// tell it (no toJSON, Date or class instance in it), and no more than MAX_LAST_PREFIXES copies are made until one is
// found again (or a prefix repeats the call before): more agents' prefixes interleaved than copies kept, or prefixes
// the walk cannot tell, would otherwise cost a copy on every call and find nothing.
const recentFingerprints = new Map<string, string>();
const MAX_REMEMBERED = 64;
const MAX_REMEMBERED_CHARS = 1 << 20;
let rememberedChars = 0;
const lastPrefixes: Array<{ snapshot: Snapshot; fingerprint: string }> = [];
const MAX_LAST_PREFIXES = 4;
const MAX_SNAPSHOT_CHARS = 1 << 18;
let previousFingerprint: string | undefined;
let copiesSinceFound = 0;
/** The last prefix whose copy the walk could not tell: not copied again while it repeats. */
let untellable: string | undefined;

/** A 16-hex-digit fingerprint of the stable prompt prefix; undefined when there is none. */
export function prefixHash(...parts: unknown[]): string | undefined {
  const present = parts.filter((part) => part !== undefined && part !== null);
  if (present.length === 0) return undefined;
  for (const last of lastPrefixes) {
    if (!sameJson(present, last.snapshot)) continue;
    copiesSinceFound = 0;
    return (previousFingerprint = last.fingerprint);
  }
  const json = JSON.stringify(present);
  let fingerprint = recentFingerprints.get(json);
  const seen = fingerprint !== undefined;
  if (fingerprint === undefined) {
    fingerprint = hash('sha256', json, 'hex').slice(0, 16);
    if (recentFingerprints.size >= MAX_REMEMBERED || rememberedChars + json.length > MAX_REMEMBERED_CHARS) {
      recentFingerprints.clear();
      rememberedChars = 0;
    }
    if (json.length <= MAX_REMEMBERED_CHARS) {
      recentFingerprints.set(json, fingerprint);
      rememberedChars += json.length;
    }
  }
  const worthCopying = copiesSinceFound < MAX_LAST_PREFIXES || fingerprint === previousFingerprint;
  if (seen && worthCopying && fingerprint !== untellable && json.length <= MAX_SNAPSHOT_CHARS) {
    copiesSinceFound += 1;
    const snapshot = snapshotOf(JSON.parse(json));
    if (sameJson(present, snapshot)) {
      lastPrefixes.unshift({ snapshot, fingerprint });
      if (lastPrefixes.length > MAX_LAST_PREFIXES) lastPrefixes.pop();
    } else untellable = fingerprint;
  }
  return (previousFingerprint = fingerprint);
}
