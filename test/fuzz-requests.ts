// Generated requests for the collector's fuzz test, from a seeded generator so a failure can be replayed: random
// and mutated protobuf, truncations, bad JSON of every shape, ids of every wrong length, invalid UTF-8 and lone
// surrogates, deep nesting, compressed bodies (valid, broken, bombs), oversized bodies, wrong methods, paths,
// content types and encodings. Many carry valid spans too, which must be forwarded, and spans the upstream would
// refuse, which must not poison anyone's batch.
import { deflateRawSync, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';

export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

export class Random {
  private seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** [0, 1) */
  next(): number {
    // mulberry32
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(256);
    return out;
  }
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const ODD_ID_LENGTHS = [0, 1, 7, 9, 15, 17, 32];

export class FuzzGenerator {
  private readonly random: Random;
  private readonly bodyLimit: number;
  private readonly bomb: Buffer;

  constructor(seed: number, bodyLimit: number) {
    this.random = new Random(seed);
    this.bodyLimit = bodyLimit;
    // 16 MiB of zeros in about 16 KB: far past any body limit once inflated.
    this.bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
  }

  next(): FuzzRequest {
    const r = this.random;
    const roll = r.int(100);
    if (roll < 10) return this.post('random protobuf', PROTOBUF, r.bytes(r.int(600)));
    if (roll < 16) return this.post('random json', JSON_TYPE, r.bytes(r.int(600)));
    if (roll < 28) return this.post('mutated protobuf', PROTOBUF, this.mutate(this.protobuf()));
    if (roll < 36) {
      const whole = this.protobuf();
      return this.post('truncated protobuf', PROTOBUF, whole.subarray(0, r.int(whole.length)));
    }
    if (roll < 46) return this.post('odd ids, protobuf', PROTOBUF, this.protobuf({ oddIds: true }));
    if (roll < 52) return this.post('invalid utf-8, protobuf', PROTOBUF, this.invalidUtf8());
    if (roll < 64) return this.post('odd json', JSON_TYPE, Buffer.from(this.oddJson()));
    if (roll < 68) return this.post('mutated json', JSON_TYPE, this.mutate(Buffer.from(JSON.stringify(this.jsonRequest()))));
    if (roll < 78) return this.compressed();
    if (roll < 80) return this.deep();
    if (roll < 82) return this.post('oversized', PROTOBUF, r.bytes(this.bodyLimit + 1 + r.int(this.bodyLimit)));
    if (roll < 84) return { kind: 'gzip bomb', method: 'POST', path: '/v1/traces', headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: this.bomb };
    if (roll < 88) return this.misdirected();
    return this.post('valid', r.int(2) ? PROTOBUF : JSON_TYPE, undefined);
  }

  private post(kind: string, headers: Record<string, string>, body: Uint8Array | undefined): FuzzRequest {
    if (body === undefined) body = headers === PROTOBUF ? this.protobuf() : Buffer.from(JSON.stringify(this.jsonRequest()));
    return { kind, method: 'POST', path: '/v1/traces', headers, body };
  }

  private id(bytes: number, odd: boolean): Buffer {
    const r = this.random;
    if (odd && r.int(3) === 0) return r.int(2) ? Buffer.alloc(bytes) : r.bytes(r.pick(ODD_ID_LENGTHS));
    return r.bytes(bytes);
  }

  private spans(odd: boolean, count = 1 + this.random.int(6)): Array<Record<string, unknown>> {
    const r = this.random;
    const traceId = this.id(16, odd);
    return Array.from({ length: count }, (_, i) => ({
      traceId: r.int(4) === 0 ? this.id(16, odd) : traceId,
      spanId: this.id(8, odd),
      ...(i > 0 && r.int(2) ? { parentSpanId: this.id(8, odd) } : {}),
      name: r.pick(['chat gpt-4.1', 'invoke_agent fuzz', 'execute_tool t', 'x', '']),
      kind: r.int(7),
      startTimeUnixNano: 1_764_300_000_000_000_000 + r.int(1e9),
      endTimeUnixNano: 1_764_300_000_000_000_000 + r.int(2e9),
      attributes: this.attributes(),
      ...(r.int(5) === 0 ? { links: [{ traceId: this.id(16, odd), spanId: this.id(8, odd) }] } : {}),
      ...(r.int(5) === 0 ? { status: { code: r.int(4), message: 'm' } } : {}),
    }));
  }

  private attributes(): Array<Record<string, unknown>> {
    const r = this.random;
    const values = [
      () => ({ stringValue: r.pick(['gpt-4.1', 'openai', 'chat', 'claude-sonnet-4-5', '']) }),
      () => ({ intValue: r.pick([0, 1, -1, 1000, 2 ** 53, Number.MAX_SAFE_INTEGER]) }),
      () => ({ doubleValue: r.pick([0.5, -1e300, Number.NaN, Infinity]) }),
      () => ({ boolValue: r.int(2) === 0 }),
      () => ({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } }),
    ];
    const keys = [
      'gen_ai.operation.name',
      'gen_ai.provider.name',
      'gen_ai.request.model',
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.cache_read.input_tokens',
      'llm.token_count.prompt',
      'openinference.span.kind',
      'gen_ai.agent.name',
      'tokenledger.run.ideal_steps',
      'k',
    ];
    return Array.from({ length: r.int(8) }, () => ({ key: r.pick(keys), value: r.pick(values)() }));
  }

  private protobuf(options: { oddIds?: boolean } = {}): Buffer {
    const spans = this.spans(options.oddIds ?? false);
    return Buffer.from(
      ExportTraceServiceRequest.encode(
        ExportTraceServiceRequest.fromObject({
          resourceSpans: [
            { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] }, scopeSpans: [{ scope: { name: 'fuzz' }, spans }] },
          ],
        }),
      ).finish(),
    );
  }

  private invalidUtf8(): Buffer {
    const body = this.protobuf();
    // Every "x" or "a" byte becomes a lone continuation byte or an overlong lead.
    for (let i = 0; i < body.length; i += 1)
      if ((body[i] === 0x78 || body[i] === 0x61) && this.random.int(2)) body[i] = this.random.pick([0x80, 0xc0, 0xff, 0xed]);
    return body;
  }

  private jsonRequest(): Record<string, unknown> {
    const hex = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value);
    const spans = this.spans(this.random.int(3) === 0).map((span) => ({
      ...span,
      traceId: hex(span.traceId),
      spanId: hex(span.spanId),
      parentSpanId: hex(span.parentSpanId),
      links: (span.links as Array<Record<string, unknown>> | undefined)?.map((link) => ({ traceId: hex(link.traceId), spanId: hex(link.spanId) })),
      startTimeUnixNano: String(span.startTimeUnixNano),
      endTimeUnixNano: String(span.endTimeUnixNano),
    }));
    return { resourceSpans: [{ scopeSpans: [{ scope: { name: 'fuzz-json' }, spans }] }] };
  }

  /** A JSON request with one field of one span replaced by something of the wrong shape or an odd string. */
  private oddJson(): string {
    const r = this.random;
    const request = this.jsonRequest() as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    const field = r.pick(['links', 'attributes', 'events', 'name', 'traceId', 'spanId', 'parentSpanId', 'startTimeUnixNano', 'status', 'kind']);
    const odd = r.pick<unknown>([
      'x',
      7,
      -1,
      null,
      true,
      {},
      [],
      [1, 2],
      { traceId: 5 },
      'zz',
      '\ud800',
      'a\udc00b',
      '😀\ud83d',
      '1e999',
      'NaN',
      [{ key: 5, value: 'v' }],
      [{ key: 'k', value: { intValue: 'abc' } }],
    ]);
    span[field] = odd;
    const text = JSON.stringify(request);
    // JSON.stringify escapes lone surrogates; some clients send them raw (as invalid UTF-8 bytes) or escaped.
    return r.int(4) === 0 ? text.replace(/"name":"/, '"name":"\\ud800') : text;
  }

  private mutate(bytes: Buffer): Buffer {
    const out = Buffer.from(bytes);
    for (let flips = 1 + this.random.int(4); flips > 0 && out.length > 0; flips -= 1) out[this.random.int(out.length)] ^= 1 << this.random.int(8);
    return out;
  }

  private compressed(): FuzzRequest {
    const r = this.random;
    const json = r.int(2) === 0;
    const plain = json ? Buffer.from(JSON.stringify(this.jsonRequest())) : this.protobuf({ oddIds: r.int(3) === 0 });
    const [encoding, compress] = r.pick([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['deflate', deflateRawSync],
      ['zstd', zstdCompressSync],
    ] as const);
    let body: Uint8Array = compress(plain);
    let kind = `${encoding}`;
    const twist = r.int(6);
    if (twist === 0) {
      body = this.mutate(Buffer.from(body));
      kind += ' mutated';
    } else if (twist === 1) {
      body = body.subarray(0, r.int(body.length));
      kind += ' truncated';
    }
    const header = twist === 2 ? r.pick(['br', 'gzip, deflate', 'compress', 'GZIP', ' zstd ']) : encoding;
    return { kind, method: 'POST', path: '/v1/traces', headers: { ...(json ? JSON_TYPE : PROTOBUF), 'content-encoding': header }, body };
  }

  /** Nesting deeper than any stack: arrays and key-value lists in JSON, key-value lists in protobuf. */
  private deep(): FuzzRequest {
    const r = this.random;
    const depth = 5000 + r.int(20_000);
    const ids = `"traceId":"${r.bytes(16).toString('hex')}","spanId":"${r.bytes(8).toString('hex')}"`;
    const choice = r.int(3);
    if (choice === 0) return this.post('deep json arrays', JSON_TYPE, Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    if (choice === 1) {
      const open = '{"kvlistValue":{"values":[{"key":"k","value":';
      const levels = Math.min(depth, Math.floor(this.bodyLimit / 60));
      const value = `${open.repeat(levels)}{"stringValue":"x"}${'}}]}}'.repeat(levels)}`;
      return this.post(
        'deep json kvlist',
        JSON_TYPE,
        Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[{${ids},"attributes":[{"key":"deep","value":${value}}]}]}]}]}`),
      );
    }
    // AnyValue { kvlistValue (6) { values (1) { key (1) "k", value (2) … } } }, built inside out by lengths only.
    const prefixes: Buffer[] = [];
    let length = 3; // the innermost AnyValue { stringValue: "x" }
    for (let level = 0; level < depth && length < this.bodyLimit / 2; level += 1) {
      const keyValue = 4 + varint(length).length + length;
      const list = 1 + varint(keyValue).length + keyValue;
      prefixes.push(
        Buffer.concat([Buffer.from([0x32]), varint(list), Buffer.from([0x0a]), varint(keyValue), Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(length)]),
      );
      length = 1 + varint(list).length + list;
    }
    const value = Buffer.concat([...prefixes.reverse(), Buffer.from([0x0a, 0x01, 0x78])]);
    // Request { resourceSpans (1) { scopeSpans (2) { spans (2) { traceId (1), spanId (2), attributes (9) { key "deep", value } } } } }
    const attribute = Buffer.concat([Buffer.from([0x0a, 0x04, 0x64, 0x65, 0x65, 0x70, 0x12]), varint(value.length), value]);
    const span = Buffer.concat([
      Buffer.from([0x0a, 0x10]),
      r.bytes(16),
      Buffer.from([0x12, 0x08]),
      r.bytes(8),
      Buffer.from([0x4a]),
      varint(attribute.length),
      attribute,
    ]);
    const scope = Buffer.concat([Buffer.from([0x12]), varint(span.length), span]);
    const resource = Buffer.concat([Buffer.from([0x12]), varint(scope.length), scope]);
    return this.post('deep protobuf', PROTOBUF, Buffer.concat([Buffer.from([0x0a]), varint(resource.length), resource]));
  }

  private misdirected(): FuzzRequest {
    const r = this.random;
    const choice = r.int(4);
    if (choice === 0)
      return {
        kind: 'wrong path',
        method: 'POST',
        path: r.pick(['/', '/v1/metrics', '/v1/traces/', '/v1/traces?x=1&y', '/%ff']),
        headers: PROTOBUF,
        body: this.protobuf(),
      };
    if (choice === 1) return { kind: 'wrong method', method: r.pick(['GET', 'PUT', 'DELETE', 'OPTIONS']), path: '/v1/traces', headers: {}, body: undefined };
    if (choice === 2)
      return {
        kind: 'wrong type',
        method: 'POST',
        path: '/v1/traces',
        headers: { 'content-type': r.pick(['text/plain', 'application/protobuf', '', 'application/json; charset=utf-8', 'APPLICATION/X-PROTOBUF']) },
        body: this.protobuf(),
      };
    return { kind: 'empty', method: 'POST', path: '/v1/traces', headers: r.int(2) ? PROTOBUF : JSON_TYPE, body: new Uint8Array(0) };
  }
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}
