// The bearer token clients send. Compared in constant time (both sides hashed first, so neither the token's
// length nor its prefix shows in the timing), with the scheme matched case-insensitively as HTTP's auth-scheme is
// (RFC 9110, 11.1).
import { createHash, timingSafeEqual } from 'node:crypto';

export class BearerToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  /** Whether an Authorization header carries the token. */
  matches(header: string | undefined): boolean {
    const match = /^bearer[ \t]+(.+)$/i.exec(header ?? '');
    const given = sha256(match ? match[1]!.trim() : '');
    return timingSafeEqual(given, this.digest) && match !== null;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
