// `--baggage-hash-keys` on an arriving span's key-values: every kind of value a user id can come as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AttributionHasher } from '../metrics/attribution-hash.ts';
import { hashAttributeValues } from './hashed-attributes.ts';

/** SHA-256 without a salt, its first 16 hex digits, worked out apart from the code under test. */
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

test('hashed attributes: strings, numbers, booleans and arrays are hashed as text; other kinds are removed; other keys kept', () => {
  const hasher = new AttributionHasher({ hashKeys: ['user.id', 'user.ids', 'user.bytes', 'user.flag'] }, [
    'tenant.id',
    'user.id',
    'user.ids',
    'user.bytes',
    'user.flag',
  ]);
  const keyValues = [
    { key: 'tenant.id', value: { stringValue: 'acme' } },
    { key: 'user.id', value: { intValue: '42' } },
    { key: 'user.ids', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
    { key: 'user.bytes', value: { bytesValue: 'AQI=' } as never },
    { key: 'user.flag', value: { boolValue: true } },
  ];
  hashAttributeValues(keyValues, hasher);
  assert.deepEqual(keyValues, [
    { key: 'tenant.id', value: { stringValue: 'acme' } },
    { key: 'user.id', value: { stringValue: sha('42') } },
    { key: 'user.ids', value: { arrayValue: { values: [{ stringValue: sha('a') }, { stringValue: sha('b') }] } } },
    { key: 'user.flag', value: { stringValue: sha('true') } },
  ]);
});
