import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveClusterOptions } from './cluster';
import { planEndpoints } from './endpoints';
import { findFreePorts } from './free-ports';
import { agentIp, planPorts } from './port-plan';

test('fixed ports are DESIGN.md defaults plus the offset; agent N on 127.0.1.N', async () => {
  const opts = resolveClusterOptions({ workDir: '/w', masters: 2, agents: 3, portOffset: 100 });
  const plan = await planPorts(opts);
  assert.deepEqual(plan.nats, { ip: '127.0.0.1', port: 4322 });
  assert.equal(plan.consul.http, 8600);
  assert.deepEqual(plan.masters.map((m) => m.port), [5150, 5250]);
  assert.deepEqual(plan.agents, [
    { ip: '127.0.1.1', port: 5151 },
    { ip: '127.0.1.2', port: 5151 },
    { ip: '127.0.1.3', port: 5151 },
  ]);
  assert.equal(plan.services.marathon.port, 8180);
  const ep = planEndpoints(opts, plan);
  assert.equal(ep.nats, 'nats://127.0.0.1:4322');
  assert.equal(ep.consul, 'http://127.0.0.1:8600');
  assert.deepEqual(
    ep.agents.map((a) => [a.name, a.url, a.workDir, a.logFile]),
    [
      ['agent-1', 'http://127.0.1.1:5151', '/w/agent-1', '/w/logs/agent-1.log'],
      ['agent-2', 'http://127.0.1.2:5151', '/w/agent-2', '/w/logs/agent-2.log'],
      ['agent-3', 'http://127.0.1.3:5151', '/w/agent-3', '/w/logs/agent-3.log'],
    ],
  );
});

test('free ports are all distinct on 127.0.0.1', async () => {
  const plan = await planPorts(resolveClusterOptions({ workDir: '/w', masters: 3, agents: 2, ports: 'free' }));
  const local = [plan.nats, plan.natsMonitor, ...plan.masters, ...Object.values(plan.services)].map((h) => h.port);
  local.push(plan.consul.http, plan.consul.server, plan.consul.serfLan, plan.consul.serfWan);
  assert.equal(new Set(local).size, local.length);
  assert.deepEqual(plan.agents.map((a) => a.ip), ['127.0.1.1', '127.0.1.2']);
});

test('at most 254 agents', () => {
  assert.equal(agentIp(253), '127.0.1.254');
  assert.throws(() => agentIp(254), /at most 254/);
});

test('free ports are distinct, also across calls, and UDP ones are free for UDP too', async () => {
  const a = await findFreePorts(5);
  const b = await findFreePorts(3, { udp: true });
  const all = [...a, ...b];
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every((p) => p > 0 && p < 65536));
});

test('an offset that puts an HTTP endpoint on a port fetch() and browsers refuse is refused with the component named', async () => {
  // 8080 + 2000 = 10080: Marathon would be unreachable from the CLI and the web UI
  await assert.rejects(planPorts(resolveClusterOptions({ workDir: '/w', portOffset: 2000 })), /marathon on port 10080/);
  // masters are 100 apart, never on 5060 (SIP), which fetch() refuses
  const plan = await planPorts(resolveClusterOptions({ workDir: '/w', masters: 3 }));
  assert.deepEqual(plan.masters.map((m) => m.port), [5050, 5150, 5250]);
});
