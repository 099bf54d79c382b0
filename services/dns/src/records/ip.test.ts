import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr, parseIp, reverseName } from './ip';
import { splitHostPort, urlHostPort } from './host-port';

describe('parseIp (Go net.ParseIP semantics)', () => {
  const ok: [string, 4 | 6, string][] = [
    ['10.0.0.1', 4, '10.0.0.1'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['2001:db8::1', 6, '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 6, '2001:db8::1'],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['1::', 6, '1::'],
    ['fd01:b::1:8000:2', 6, 'fd01:b::1:8000:2'],
    ['2001:db8:0:1:0:0:0:1', 6, '2001:db8:0:1::1'],
    ['2001:0:0:1:0:0:0:1', 6, '2001:0:0:1::1'],
    ['1:0:1:1:1:1:1:1', 6, '1:0:1:1:1:1:1:1'],
    ['::ffff:1.2.3.4', 4, '1.2.3.4'],
    ['::ffff:0102:0304', 4, '1.2.3.4'],
    ['64:ff9b::1.2.3.4', 6, '64:ff9b::102:304'],
  ];
  for (const [text, family, canon] of ok) {
    test(`${text} → v${family} ${canon}`, () => {
      const ip = parseIp(text);
      assert.ok(ip);
      assert.equal(ip.family, family);
      assert.equal(ip.text, canon);
      assert.equal(ip.bytes.length, family === 4 ? 4 : 16);
    });
  }
  const bad = ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'fe80::1%eth0', '::1.2.3', 'host.example.com', ' 1.2.3.4', '1.2.3.4::'];
  for (const text of bad) test(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseIp(text), undefined));
});

describe('reverse names and zones', () => {
  test('in-addr.arpa', () => assert.equal(reverseName(parseIp('10.3.0.1')!), '1.0.3.10.in-addr.arpa.'));
  test('ip6.arpa nibbles', () =>
    assert.equal(reverseName(parseIp('2001:db8::567:89ab')!), 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.'));
  const zones: [string, string][] = [
    ['10.0.0.0/8', '10.in-addr.arpa.'],
    ['10.3.0.0/16', '3.10.in-addr.arpa.'],
    ['192.168.7.0/24', '7.168.192.in-addr.arpa.'],
    ['10.3.0.1/32', '1.0.3.10.in-addr.arpa.'],
    ['0.0.0.0/0', 'in-addr.arpa.'],
    ['fd00::/8', 'd.f.ip6.arpa.'],
    ['2001:db8::/32', '8.b.d.0.1.0.0.2.ip6.arpa.'],
  ];
  for (const [cidr, zone] of zones) {
    test(`${cidr} → ${zone}`, () => {
      const c = parseCidr(cidr);
      assert.notEqual(typeof c, 'string');
      assert.equal((c as Exclude<typeof c, string>).zone, zone);
    });
  }
  for (const bad of ['10.0.0.0/12', 'fd00::/7', '10.0.0.0', '10.0.0.0/33', 'x/8']) {
    test(`rejects ${bad}`, () => assert.equal(typeof parseCidr(bad), 'string'));
  }
});

describe('host:port and URLs', () => {
  test('splitHostPort', () => {
    assert.deepEqual(splitHostPort('1.2.3.4:5050'), { host: '1.2.3.4', port: 5050 });
    assert.deepEqual(splitHostPort('[2001:db8::1]:7'), { host: '2001:db8::1', port: 7 });
    assert.deepEqual(splitHostPort('master.example:0'), { host: 'master.example', port: 0 });
    for (const bad of ['', '@', '1@', '@2', '3@4', '1.2.3.4', '1.2.3.4:', ':5', '2001:db8::1:7', '[::1]7', '1.2.3.4:70000', '1.2.3.4:x']) {
      assert.equal(splitHostPort(bad), undefined, bad);
    }
  });
  test('urlHostPort', () => {
    assert.deepEqual(urlHostPort('http://10.0.0.2:8080'), { host: '10.0.0.2', port: 8080 });
    assert.deepEqual(urlHostPort('https://u:p@example.com/x'), { host: 'example.com', port: 443 });
    assert.deepEqual(urlHostPort('http://[2001:db8::1]:9090/'), { host: '2001:db8::1', port: 9090 });
    assert.deepEqual(urlHostPort('ftp://h'), { host: 'h', port: undefined });
    assert.equal(urlHostPort('not a url'), undefined);
    assert.equal(urlHostPort('http://:80/'), undefined);
  });
});
