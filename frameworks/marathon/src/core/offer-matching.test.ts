import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { rangesContain, type PortRange } from '@agora/model';
import { HEALTH_CHECKED_LABEL, TaskInfoSchema, type Offer } from '@agora/contracts';
import type { AppDefinition } from './app-definition';
import { parseApp } from './validate-app';
import { matchOffer } from './offer-matching';
import { taskEnv } from './task-env';

const FIXTURES = join(__dirname, '../../../../../frameworks/marathon/src/core/fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const NOW = '2024-05-01T10:00:00.000Z';

function app(raw: unknown): AppDefinition {
  const r = parseApp(raw, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

function offer(over: Partial<Offer> & { scalars?: Record<string, number>; ports?: PortRange[] } = {}): Offer {
  return {
    id: 'o1',
    frameworkId: 'f1',
    agentId: over.agentId ?? 'agent-1',
    hostname: over.hostname ?? '127.0.1.1',
    agentIp: '127.0.1.1',
    resources: { scalars: over.scalars ?? { cpus: 4, mem: 4096, disk: 10000 }, ports: over.ports ?? [{ begin: 31000, end: 31099 }] },
    attributes: over.attributes ?? {},
    allocationRole: over.allocationRole ?? '*',
  };
}

function uuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('matchOffer', () => {
  test('the web app: one task per host (UNIQUE hostname), Marathon env, valid TaskInfo', () => {
    const web = app(fixture('web-app.json'));
    const r = matchOffer({ app: web, offer: offer(), placed: [], count: 3, nextUuid: uuids(), random: seeded(1) });
    assert.equal(r.launches.length, 1);
    assert.deepEqual(r.rejections.map((x) => x.reason), ['UnfulfilledConstraint']);
    const [l] = r.launches;
    assert.ok(l);
    TaskInfoSchema.parse(l.task);
    assert.equal(l.task.taskId, 'prod_web.00000000-0000-4000-8000-000000000001');
    assert.equal(l.task.name, 'web.prod');
    assert.deepEqual(l.task.resources.scalars, { cpus: 0.25, mem: 256 });
    const port = l.ports[0];
    assert.ok(port !== undefined && port >= 31000 && port <= 31099);
    assert.deepEqual(l.task.resources.ports, [{ begin: port, end: port }]);
    const env = l.task.command?.environment ?? {};
    assert.equal(env['HOST'], '127.0.1.1');
    assert.equal(env['PORT0'], String(port));
    assert.equal(env['PORT'], String(port));
    assert.equal(env['PORTS'], String(port));
    assert.equal(env['PORT_HTTP'], String(port));
    assert.equal(env['MARATHON_APP_ID'], '/prod/web');
    assert.equal(env['MARATHON_APP_VERSION'], NOW);
    assert.equal(env['MESOS_TASK_ID'], l.task.taskId);
    assert.equal(env['LOG_LEVEL'], 'info');
    assert.equal(env['MARATHON_APP_LABELS'], 'TEAM HAPROXY_GROUP');
    assert.equal(env['MARATHON_APP_LABEL_TEAM'], 'storefront');
    assert.equal(l.task.command?.shell, true);
    assert.equal(l.task.command?.value, 'python3 -m http.server $PORT0');
    assert.deepEqual(l.task.discovery?.ports, [{ number: port, protocol: 'tcp', name: 'http' }]);
    assert.equal(r.remaining.scalars['mem'], 4096 - 256);
  });
  test('packs several instances into one offer until a resource runs out', () => {
    const a = app({ id: 'sleep', cmd: 'sleep 3600', cpus: 1, mem: 1000, instances: 10 });
    const r = matchOffer({ app: a, offer: offer(), placed: [], count: 10, nextUuid: uuids(), random: seeded(2) });
    assert.equal(r.launches.length, 4);
    assert.deepEqual(r.rejections.map((x) => x.reason), ['InsufficientCpus', 'InsufficientMemory']);
    const ports = r.launches.flatMap((l) => l.hostPorts);
    assert.equal(new Set(ports).size, 4, 'dynamic ports are distinct');
  });
  test('requirePorts takes the listed ports literally', () => {
    const a = app({ id: 'fixed', cmd: 'x', requirePorts: true, portDefinitions: [{ port: 31050 }, { port: 31051, name: 'admin' }], cpus: 0.1, mem: 10, instances: 2 });
    const r = matchOffer({ app: a, offer: offer(), placed: [], count: 2, nextUuid: uuids(), random: seeded(3) });
    assert.equal(r.launches.length, 1, 'the second task needs the same ports');
    assert.deepEqual(r.launches[0]?.ports, [31050, 31051]);
    assert.equal(r.launches[0]?.task.command?.environment['PORT_31050'], '31050');
    assert.equal(r.launches[0]?.task.command?.environment['PORT_ADMIN'], '31051');
    assert.equal(r.rejections[0]?.reason, 'InsufficientPorts');
    const none = matchOffer({ app: a, offer: offer({ ports: [{ begin: 1000, end: 2000 }] }), placed: [], count: 1, nextUuid: uuids(), random: seeded(3) });
    assert.equal(none.launches.length, 0);
    assert.match(none.rejections[0]?.detail ?? '', /needs ports 31050,31051/);
  });
  test('Docker bridge: host ports from the offer, container port 0 follows the host port', () => {
    const a = app(fixture('docker-bridge-legacy.json'));
    const r = matchOffer({ app: a, offer: offer(), placed: [], count: 1, nextUuid: uuids(), random: seeded(4) });
    const l = r.launches[0];
    assert.ok(l);
    TaskInfoSchema.parse(l.task);
    assert.equal(l.task.container?.type, 'DOCKER');
    assert.equal(l.task.container?.docker?.network, 'BRIDGE');
    assert.equal(l.task.container?.docker?.image, 'nginx:1.25');
    const [h1, h2] = l.hostPorts;
    assert.deepEqual(l.task.container?.docker?.portMappings, [
      { containerPort: 80, hostPort: h1, protocol: 'tcp' },
      { containerPort: 443, hostPort: h2, protocol: 'tcp' },
    ]);
    assert.equal(l.task.command?.environment['MARATHON_APP_DOCKER_IMAGE'], 'nginx:1.25');
    assert.equal(l.task.command?.environment['PORT_HTTPS'], String(h2));
    assert.deepEqual(l.task.container?.volumes, [{ containerPath: '/etc/nginx/conf.d', hostPath: '/srv/nginx', mode: 'RO' }]);
    const echo = app(fixture('docker-networks.json'));
    const e = matchOffer({ app: echo, offer: offer(), placed: [], count: 1, nextUuid: uuids(), random: seeded(5) }).launches[0];
    assert.ok(e);
    assert.equal(e.task.command?.shell, false);
    assert.deepEqual(e.task.command?.arguments, ['--listen', ':8080']);
    assert.equal(e.task.command?.value, undefined, 'Docker keeps the image entrypoint');
  });
  test('acceptedResourceRoles filters offers by role', () => {
    const a = app({ id: 'pub', cmd: 'x', acceptedResourceRoles: ['slave_public'], cpus: 0.1, mem: 10 });
    assert.equal(matchOffer({ app: a, offer: offer(), placed: [], count: 1, nextUuid: uuids(), random: Math.random }).rejections[0]?.reason, 'UnfulfilledRole');
    assert.equal(matchOffer({ app: a, offer: offer({ allocationRole: 'slave_public' }), placed: [], count: 1, nextUuid: uuids(), random: Math.random }).launches.length, 1);
  });
  test('tasks of an app with health checks carry the health-checked label (for health-aware DNS); others do not', () => {
    const web = app(fixture('web-app.json'));
    const checked = matchOffer({ app: web, offer: offer(), placed: [], count: 1, nextUuid: uuids(), random: seeded(1) }).launches[0];
    assert.equal(checked?.task.labels[HEALTH_CHECKED_LABEL], 'true');
    for (const [k, v] of Object.entries(web.labels)) assert.equal(checked?.task.labels[k], v, 'the app labels are kept');
    const plain = app({ id: 'plain', cmd: 'x', cpus: 0.1, mem: 10, labels: { tier: 'web' } });
    const l = matchOffer({ app: plain, offer: offer(), placed: [], count: 1, nextUuid: uuids(), random: seeded(1) }).launches[0];
    assert.deepEqual(l?.task.labels, { tier: 'web' });
  });
  test('label env names are sanitized and long labels dropped', () => {
    const a = app({ id: 'l', cmd: 'x', labels: { 'com.example/tier': 'gold', big: 'x'.repeat(600) } });
    const env = taskEnv({ app: a, taskId: 't', hostname: 'h', ports: [] });
    assert.equal(env['MARATHON_APP_LABELS'], 'COM_EXAMPLE_TIER');
    assert.equal(env['MARATHON_APP_LABEL_COM_EXAMPLE_TIER'], 'gold');
    assert.equal(env['PORTS'], '');
    assert.equal('PORT' in env, false);
  });
  test('property: launches never exceed the offer, ports are distinct and inside the offer', () => {
    fc.assert(
      fc.property(
        fc.record({
          cpus: fc.integer({ min: 1, max: 2000 }).map((x) => x / 1000),
          mem: fc.integer({ min: 0, max: 600 }),
          ports: fc.integer({ min: 0, max: 4 }),
          count: fc.integer({ min: 1, max: 30 }),
          offerCpus: fc.integer({ min: 0, max: 8000 }).map((x) => x / 1000),
          offerMem: fc.integer({ min: 0, max: 4000 }),
          portSpan: fc.integer({ min: 0, max: 20 }),
          seed: fc.integer(),
        }),
        (p) => {
          const a = app({ id: 'p', cmd: 'x', cpus: p.cpus, mem: p.mem, portDefinitions: Array.from({ length: p.ports }, () => ({ port: 0 })) });
          const ports = p.portSpan > 0 ? [{ begin: 40000, end: 40000 + p.portSpan - 1 }] : [];
          const o = offer({ scalars: { cpus: p.offerCpus, mem: p.offerMem }, ports });
          const r = matchOffer({ app: a, offer: o, placed: [], count: p.count, nextUuid: uuids(), random: seeded(p.seed) });
          const n = r.launches.length;
          assert.ok(n <= p.count);
          assert.ok(Math.round(n * p.cpus * 1000) <= Math.round(p.offerCpus * 1000));
          assert.ok(n * p.mem <= p.offerMem);
          const all = r.launches.flatMap((l) => l.hostPorts);
          assert.equal(new Set(all).size, all.length);
          assert.ok(rangesContain(ports, all.map((x) => ({ begin: x, end: x }))));
          // Maximal: if fewer than asked, the next one really did not fit.
          if (n < p.count) assert.ok(r.rejections.length > 0);
          const fitsCpu = Math.floor(Math.round(p.offerCpus * 1000) / Math.round(p.cpus * 1000));
          const fitsMem = p.mem === 0 ? Infinity : Math.floor(p.offerMem / p.mem);
          const fitsPorts = p.ports === 0 ? Infinity : Math.floor(p.portSpan / p.ports);
          assert.equal(n, Math.min(p.count, fitsCpu, fitsMem, fitsPorts));
        },
      ),
    );
  });
});
