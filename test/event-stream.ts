// The AWS event-stream wire format (`application/vnd.amazon.eventstream`), for the fake provider to answer Bedrock's
// streaming APIs: each message is a prelude (total and header lengths, CRC32), string headers, a JSON payload and a
// CRC32 of the whole message. Fixtures stay readable JSON; the binary is made here.
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One event-stream message with string headers (type 7) and a UTF-8 payload. */
export function eventStreamMessage(headers: Record<string, string>, payload: string): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const key = Buffer.from(name);
      const text = Buffer.from(value);
      const header = Buffer.alloc(4 + key.length + text.length);
      header.writeUInt8(key.length, 0);
      key.copy(header, 1);
      header.writeUInt8(7, 1 + key.length);
      header.writeUInt16BE(text.length, 2 + key.length);
      text.copy(header, 4 + key.length);
      return header;
    }),
  );
  const body = Buffer.from(payload);
  const total = 16 + headerBytes.length + body.length;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, body, Buffer.alloc(4)]);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** A Bedrock event (`:event-type` = `eventType`) carrying `payload` as JSON. */
export function bedrockEvent(eventType: string, payload: unknown): Buffer {
  return eventStreamMessage({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify(payload));
}

/** An InvokeModelWithResponseStream chunk: the model's own event JSON, base64-encoded under `bytes`. */
export function invokeChunk(event: unknown): Buffer {
  return bedrockEvent('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
}
