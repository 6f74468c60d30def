// Every format a recording comes in reads as the same requests, and bad input is an error naming the file and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { ExportTraceServiceRequest } from '../../collector/otlp-schema.ts';
import { readRecording, type ReadRequest } from './recording-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-reader-'));
let files = 0;

function file(content: string | Buffer): string {
  const path = join(dir, `recording-${(files += 1)}`);
  writeFileSync(path, content);
  return path;
}

function request(name: string): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name,
                startTimeUnixNano: '1764300000000000000',
                endTimeUnixNano: '1764300001000000000',
              },
            ],
          },
        ],
      },
    ],
  };
}

function protobuf(name: string): Buffer {
  const json = request(name) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  const span = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  span.traceId = Buffer.from(span.traceId as string, 'hex').toString('base64');
  span.spanId = Buffer.from(span.spanId as string, 'hex').toString('base64');
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(json)).finish());
}

function framed(payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(payload.length);
  return Buffer.concat([head, payload]);
}

async function read(path: string): Promise<ReadRequest[]> {
  const requests: ReadRequest[] = [];
  for await (const request of readRecording(path)) requests.push(request);
  return requests;
}

/** The span names read, and where each request was. */
async function names(path: string): Promise<Array<[string, string]>> {
  return (await read(path)).map(({ request, where }) => {
    const resourceSpans = request.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
    return [resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name, where.slice(where.lastIndexOf('/') + 1)];
  });
}

test('recording reader: OTLP/JSON lines, a line per request (blank lines skipped)', async () => {
  const path = file(`${JSON.stringify(request('a'))}\n\n${JSON.stringify(request('b'))}\n`);
  const name = path.slice(path.lastIndexOf('/') + 1);
  assert.deepEqual(await names(path), [
    ['a', `${name}:1`],
    ['b', `${name}:3`],
  ]);
});

test('recording reader: a pretty-printed OTLP/JSON dump, entry by entry, with the line each starts on', async () => {
  const two = { resourceSpans: [...(request('a').resourceSpans as unknown[]), ...(request('b').resourceSpans as unknown[])] };
  const path = file(`\n${JSON.stringify(two, null, 2)}\n${JSON.stringify(request('c {"x"}'), null, 2)}`);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const read = await names(path);
  assert.deepEqual(
    read.map(([span]) => span),
    ['a', 'b', 'c {"x"}'],
  );
  assert.equal(read[0]![1], `${name}:4`); // the blank line, `{`, `"resourceSpans": [`, then the entry
});

test('recording reader: OTLP/protobuf, one request as sent over HTTP, and records with a 4-byte length', async () => {
  assert.deepEqual(
    (await names(file(protobuf('a')))).map(([span]) => span),
    ['a'],
  );
  const records = Buffer.concat([framed(protobuf('a')), framed(zstdCompressSync(protobuf('b'))), framed(Buffer.from(JSON.stringify(request('c'))))]);
  const read = await names(file(records));
  assert.deepEqual(
    read.map(([span]) => span),
    ['a', 'b', 'c'],
  );
  assert.match(read[1]![1], /\(record 2, byte \d+\)$/);
});

test('recording reader: gzip and zstd files are inflated as they are read', async () => {
  const lines = `${JSON.stringify(request('a'))}\n${JSON.stringify(request('b'))}\n`;
  assert.deepEqual(
    (await names(file(gzipSync(lines)))).map(([span]) => span),
    ['a', 'b'],
  );
  assert.deepEqual(
    (await names(file(zstdCompressSync(Buffer.from(lines))))).map(([span]) => span),
    ['a', 'b'],
  );
});

test('recording reader: an empty file has no requests', async () => {
  assert.deepEqual(await read(file('')), []);
  assert.deepEqual(await read(file('\n  \n')), []);
});

test('recording reader: a line cut short is named by file and line', async () => {
  const whole = JSON.stringify(request('a'));
  const path = file(`${whole}\n${whole}\n${whole.slice(0, 80)}`);
  await assert.rejects(read(path), {
    name: 'RecordingError',
    message: new RegExp(`^${path}:3: not a JSON line \\(.*\\); the recording is cut short or corrupt$`),
  });
});

test('recording reader: a JSON dump that ends inside a value names the line the value starts on', async () => {
  const text = JSON.stringify(request('a'), null, 2);
  const path = file(text.slice(0, text.length - 40));
  await assert.rejects(read(path), { message: `${path}:3: the file ends inside the JSON value that starts here (it is cut short)` });
});

test('recording reader: a string broken by a line break, a metrics file, and bytes that are no recording', async () => {
  const broken = file('{\n  "resourceSpans": [\n    {"scopeSpans": [{"spans": [{"name": "a\nb"}]}]}\n  ]\n}\n');
  await assert.rejects(read(broken), { message: `${broken}:3: a string is not closed on its line (the file is cut short or corrupt)` });
  const metrics = file(`${JSON.stringify({ resourceMetrics: [] })}\n`);
  await assert.rejects(read(metrics), { message: `${metrics}:1: holds resourceMetrics, not spans: record traces (a file holds one signal)` });
  const junk = file(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]));
  await assert.rejects(read(junk), { message: new RegExp(`^${junk} \\(record 1, byte 0\\): not a recording tokenledger can read`) });
});

test('recording reader: protobuf cut short names the byte where the cut entry starts', async () => {
  const bytes = protobuf('a');
  const path = file(bytes.subarray(0, bytes.length - 10));
  await assert.rejects(read(path), { message: new RegExp(`^${path} \\(byte 0\\): resourceSpans 0 is cut short`) });
});
