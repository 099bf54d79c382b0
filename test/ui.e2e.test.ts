import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentComponent, consulComponent, dnsComponent, marathonComponent, masterComponent, natsComponent, repoRoot } from '@agora/launcher';
import { httpRequest, startTestCluster, waitFor, type TestCluster } from '@agora/testing';

/**
 * The web UI as a browser meets it, without a browser: two masters (both serve the page; the standby's
 * /agora/services names the leader), Marathon and DNS found through /agora/services, their CORS answers
 * to the master's origin (and refusals to others), and a task's stdout read through the leader's relay
 * of the agent's files API.
 */

interface Services {
  self: string;
  leader: string | null;
  masters: string[];
  marathon: string[];
  chronos: string[];
  dns: string[];
  errors: string[];
}

describe('web UI end to end', () => {
  let c: TestCluster | undefined;
  let leader = '';
  let standby = '';
  let marathon = '';
  let dns = '';

  before(async () => {
    c = await startTestCluster({
      masters: 2,
      agents: 1,
      agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31099]',
      components: [natsComponent, consulComponent, masterComponent, agentComponent, dnsComponent, marathonComponent],
      logLevel: 'warn',
    });
    leader = (await c.leaderUrl()) ?? '';
    assert.ok(leader, 'a master leads');
    standby = c.masters.map((m) => m.url).find((u) => u !== leader) ?? '';
    marathon = c.cluster.instance('marathon', 0)?.url ?? '';
    dns = c.cluster.instance('dns', 0)?.url ?? '';
    assert.ok(standby && marathon && dns);
  });
  after(async () => {
    await c?.stop();
  });

  const get = (url: string, headers: Record<string, string> = {}) => httpRequest(url, { headers, redirect: 'manual' });

  test('/ and /ui lead to /ui/, which is the page; its style and every module come with their types', async () => {
    for (const p of ['/', '/ui']) {
      const r = await get(leader + p);
      assert.equal(r.status, 302, p);
      assert.equal(r.headers.get('location'), '/ui/');
    }
    const page = await get(`${leader}/ui/`, { accept: 'text/html' });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(page.text, /<script type="module" src="js\/main\.mjs"><\/script>/);

    const css = await get(`${leader}/ui/app.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');

    // Follow the module graph from main.mjs as the browser does: every import is served as JavaScript.
    const seen = new Set<string>();
    const queue = ['main.mjs'];
    while (queue.length > 0) {
      const f = queue.shift() ?? '';
      if (seen.has(f)) continue;
      seen.add(f);
      const r = await get(`${leader}/ui/js/${f}`);
      assert.equal(r.status, 200, f);
      assert.equal(r.headers.get('content-type'), 'text/javascript; charset=utf-8', f);
      for (const m of r.text.matchAll(/^import .* from '\.\/([^']+)';$/gm)) queue.push(m[1] ?? '');
    }
    assert.ok(seen.size >= 8, `modules: ${[...seen].join(', ')}`);

    const etag = (await get(`${leader}/ui/js/main.mjs`)).headers.get('etag') ?? '';
    assert.equal((await get(`${leader}/ui/js/main.mjs`, { 'if-none-match': etag })).status, 304);
    for (const bad of ['/ui/js/%2e%2e%2fmain.mjs', '/ui/%2e%2e%2f%2e%2e%2fpackage.json', '/ui/nothing.js']) {
      const r = await get(leader + bad);
      assert.ok(r.status === 400 || r.status === 404, `${bad}: ${r.status}`);
    }
  });

  test('/agora/services lists Marathon, DNS (its HTTP API) and both masters; a standby names the leader', async () => {
    const s = await waitFor(
      async () => {
        const r = await get(`${leader}/agora/services`);
        const body = r.body as Services;
        return r.status === 200 && body.marathon.length === 1 && body.dns.length === 1 && body.masters.length === 2 ? body : undefined;
      },
      { timeoutMs: 20_000, what: 'marathon, dns and two masters in the catalog' },
    );
    assert.deepEqual(s.marathon, [marathon]);
    assert.deepEqual(s.dns, [dns]);
    assert.deepEqual(s.chronos, []);
    assert.deepEqual([...s.masters].sort(), c?.masters.map((m) => m.url).sort());
    assert.equal(s.self, leader);
    assert.equal(s.leader, leader);
    assert.deepEqual(s.errors, []);

    // The standby serves the page and this list itself (the page then moves to the leader) …
    const onStandby = await get(`${standby}/agora/services`);
    assert.equal(onStandby.status, 200);
    assert.equal((onStandby.body as Services).self, standby);
    assert.equal((onStandby.body as Services).leader, leader);
    assert.equal((await get(`${standby}/ui/`)).status, 200);
    // … and still sends state requests to the leader.
    const state = await get(`${standby}/master/state`);
    assert.equal(state.status, 307);
    assert.equal(state.headers.get('location'), `${leader}/master/state`);
  });

  test('Marathon and DNS answer the master’s origin with CORS, preflights included; other origins may not write', async () => {
    const pre = await httpRequest(`${marathon}/v2/apps/x`, {
      method: 'OPTIONS',
      headers: { origin: leader, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), leader);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type');

    // Every master is allowed (the page may be served by either).
    const apps = await get(`${marathon}/v2/apps`, { origin: standby });
    assert.equal(apps.status, 200);
    assert.equal(apps.headers.get('access-control-allow-origin'), standby);

    const foreign = await get(`${marathon}/v2/apps`, { origin: 'http://evil.example' });
    assert.equal(foreign.status, 200);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const write = await httpRequest(`${marathon}/v2/apps`, { method: 'POST', body: '{"id":"/x","cmd":"true"}', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' } });
    assert.equal(write.status, 403);
    assert.equal((await get(`${marathon}/v2/apps/x`)).status, 404, 'the refused POST changed nothing');

    const dnsVersion = await get(`${dns}/v1/version`, { origin: leader });
    assert.equal(dnsVersion.status, 200);
    assert.equal(dnsVersion.headers.get('access-control-allow-origin'), leader);
  });

  test('a task’s stdout is read through the leader’s relay of its agent’s files API', async () => {
    const created = await httpRequest(`${marathon}/v2/apps`, { method: 'POST', body: { id: '/ui-echo', cmd: 'echo hello-from-the-sandbox; sleep 600', cpus: 0.1, mem: 16 } });
    assert.equal(created.status, 201, created.text);
    const task = await waitFor(
      async () => {
        const st = (await get(`${leader}/master/state`)).body as { frameworks: { tasks: { id: string; state: string; slave_id: string; sandbox?: string }[] }[] };
        return st.frameworks.flatMap((f) => f.tasks).find((t) => t.id.startsWith('ui-echo.') && t.state === 'TASK_RUNNING' && t.sandbox);
      },
      { timeoutMs: 30_000, what: 'the ui-echo task to run' },
    );
    const url = (q: string) => `${leader}/agora/agents/${encodeURIComponent(task.slave_id)}/files/read?${q}`;
    const read = await waitFor(
      async () => {
        const r = await get(url(new URLSearchParams({ path: `${task.sandbox ?? ''}/stdout`, offset: '0' }).toString()));
        const body = r.body as { data?: string; offset?: number };
        return r.status === 200 && body.data?.includes('hello-from-the-sandbox') ? body : undefined;
      },
      { timeoutMs: 10_000, what: 'stdout through the relay' },
    );
    assert.equal(read.offset, 0);
    const size = await get(url(new URLSearchParams({ path: `${task.sandbox ?? ''}/stdout`, offset: '-1' }).toString()));
    assert.equal((size.body as { offset: number }).offset, Buffer.byteLength('hello-from-the-sandbox\n'));

    assert.equal((await get(`${leader}/agora/agents/no-such-agent/files/read?path=/x`)).status, 404);
    assert.equal((await get(url('offset=0'))).status, 400);
    // The agent confines paths to its sandboxes.
    assert.equal((await get(url('path=/etc/passwd'))).status, 403);
    // A standby sends the relay to the leader.
    const viaStandby = await get(`${standby}/agora/agents/${encodeURIComponent(task.slave_id)}/files/read?path=x`);
    assert.equal(viaStandby.status, 307);
  });
});
