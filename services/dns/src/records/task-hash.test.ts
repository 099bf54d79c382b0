import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentIdTail, taskHash, zbase32 } from './task-hash';
import { sha1, utf8 } from './sha1';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('SHA-1 (FIPS 180 test vectors)', () => {
  const vectors: [string, string][] = [
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
  ];
  for (const [input, want] of vectors) test(JSON.stringify(input), () => assert.equal(hex(sha1(utf8(input))), want));
  test('a million "a" (multi-block)', () => assert.equal(hex(sha1(utf8('a'.repeat(1_000_000)))), '34aa973cd4c4daa4f61eeb2bdbad27316534016f'));
  test('55, 56 and 64 bytes (padding edges)', () => {
    assert.equal(hex(sha1(utf8('a'.repeat(55)))), 'c1c8bbdc22796e28c0e15163d20899b65621d65a');
    assert.equal(hex(sha1(utf8('a'.repeat(56)))), 'c2db330f6083854c99d4b5bfb6e8f29f201be699');
    assert.equal(hex(sha1(utf8('a'.repeat(64)))), '0098ba824b5c16427bd7a1122a5a442a25ec644d');
  });
});

describe('UTF-8', () => {
  test('multi-byte and surrogate pairs', () => {
    assert.deepEqual([...utf8('é€😀')], [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    assert.deepEqual([...utf8('\ud800x')], [0xef, 0xbf, 0xbd, 0x78]);
  });
});

describe('task hash = first 5 of z-base-32(SHA-1(id)) (spec check values)', () => {
  const cases: [string, string][] = [
    ['test', 'iffe9'],
    ['liquor-store.b8db9f73-562f-11e4-a088-c20493233aa5', '4dfjd'],
    ['liquor-store.b71166c1-562f-11e4-a088-c20493233aa5', 'zasmd'],
    ['car-store.43758382-562f-11e4-a088-c20493233aa5', 'zinaz'],
  ];
  for (const [id, want] of cases) test(`${id} → ${want}`, () => assert.equal(taskHash(id), want));
  test('z-base-32 of known bytes', () => {
    // 0x00 → first 5 bits 00000 → "y"; 0xff → 11111 → "9", remaining 3 bits padded.
    assert.equal(zbase32(Uint8Array.of(0)), 'yy');
    assert.equal(zbase32(Uint8Array.of(0xff)), '9h');
    assert.equal(zbase32(sha1(utf8('test'))).length, 32);
  });
});

describe('agent id tail', () => {
  const cases: [string, string][] = [
    ['20140827-000744-3041283216-5050-2116-S3', 's3'],
    ['20141018-203522-1-5050-0', '0'],
    ['nodash', 'nodash'],
    ['a-B-C9', 'c9'],
  ];
  for (const [id, want] of cases) test(`${id} → ${want}`, () => assert.equal(agentIdTail(id), want));
});
