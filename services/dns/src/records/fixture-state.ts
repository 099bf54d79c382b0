import { ClusterStateSchema, type ClusterState } from '@agora/contracts';

/**
 * A hand-written cluster with the spec's edge cases, shared by the records and answer tests (and usable by
 * the server's tests). Task ids reuse the spec's hash check values: liquor-store.b8db… → 4dfjd,
 * liquor-store.b711… → zasmd, car-store.4375… → zinaz.
 */
export const FIXTURE_IDS = {
  liquor1: 'liquor-store.b8db9f73-562f-11e4-a088-c20493233aa5',
  liquor2: 'liquor-store.b71166c1-562f-11e4-a088-c20493233aa5',
  car: 'car-store.43758382-562f-11e4-a088-c20493233aa5',
} as const;

const resources = (ports: [number, number][] = []) => ({ scalars: { cpus: 0.1 }, ports: ports.map(([begin, end]) => ({ begin, end })) });

function task(
  frameworkId: string,
  taskId: string,
  name: string,
  agentId: string,
  extra: Record<string, unknown> = {},
  statusExtra: Record<string, unknown>[] = [{}],
): Record<string, unknown> {
  const state = (extra['state'] as string | undefined) ?? 'TASK_RUNNING';
  return {
    taskId,
    name,
    frameworkId,
    agentId,
    state,
    resources: resources(),
    statuses: statusExtra.map((s, i) => ({
      taskId,
      frameworkId,
      agentId,
      state,
      source: 'SOURCE_EXECUTOR',
      timestamp: 1000 + i,
      ...s,
    })),
    ...extra,
  };
}

function framework(id: string, info: Record<string, unknown>, tasks: Record<string, unknown>[]): Record<string, unknown> {
  return {
    id,
    info,
    active: true,
    connected: true,
    registeredTime: 1,
    tasks,
    completedTasks: [],
    offeredResources: resources(),
    usedResources: resources(),
    offers: [],
  };
}

function agent(id: string, ip: string, hostname: string, port: number, status = 'REGISTERED'): Record<string, unknown> {
  return { id, ip, hostname, port, resources: resources(), active: status === 'REGISTERED', status, registeredTime: 1, usedResources: resources(), offeredResources: resources() };
}

const M = 'fw-marathon';
const C = 'fw-chronos';
const P = 'fw-pod';
const V = 'fw-ipv6';
const S0 = '20141018-203522-1-5050-0';
const S1 = 'a1b2c3-S1';
const S6 = 'a1b2c3-S6';
const S9 = 'a1b2c3-S9';

export function fixtureState(): ClusterState {
  const leader = { id: 'm1', hostname: 'master1', ip: '10.0.0.1', port: 5050, url: 'http://10.0.0.1:5050', version: '0.1.0' };
  return ClusterStateSchema.parse({
    master: leader,
    leader,
    startTime: 1,
    eventSequence: 42,
    agents: [
      agent(S0, '10.0.0.10', 'node0.example.com', 5051),
      agent(S1, '10.0.0.11', '10.0.0.11', 5051),
      agent(S6, '2001:db8::6', 'v6host', 5052),
      agent(S9, '10.0.0.19', 'gone-node', 5051, 'GONE'),
    ],
    frameworks: [
      framework(M, { name: 'marathon', webuiUrl: 'http://10.0.0.2:8080', hostname: 'marathon-host' }, [
        // DiscoveryInfo with named ports; the newest running status holds the container address.
        task(
          M,
          FIXTURE_IDS.liquor1,
          'liquor-store',
          S0,
          {
            resources: resources([[31000, 31000], [31005, 31006]]),
            discovery: {
              name: 'liquor.store',
              ports: [
                { number: 80, name: 'http', protocol: 'tcp' },
                { number: 443, name: 'https', protocol: 'tcp' },
              ],
            },
          },
          [{ ipAddresses: ['10.9.9.9'], timestamp: 50 }, { ipAddresses: ['10.3.0.1'], timestamp: 100 }],
        ),
        task(
          M,
          FIXTURE_IDS.liquor2,
          'liquor-store',
          S1,
          {
            resources: resources([[31001, 31001]]),
            discovery: {
              name: 'liquor.store',
              ports: [
                { number: 80, name: 'http', protocol: 'tcp' },
                { number: 443, name: 'https', protocol: 'tcp' },
              ],
            },
          },
          [{ ipAddresses: ['10.3.0.2'] }],
        ),
        // No DiscoveryInfo, no container address: host address, SRV for every port, both protocols.
        task(M, FIXTURE_IDS.car, 'car-store', S0, { resources: resources([[31364, 31365]]) }),
        // Marathon app /prod/web → task name web.prod; health-checked and healthy.
        task(M, 'prod_web.1111', 'web.prod', S1, { resources: resources([[31500, 31500]]), healthy: true }),
        // DI name wins over the task name; DI port with an empty protocol means tcp and udp.
        task(M, 'big-dog2.2222', 'big.dog2', S1, { discovery: { name: 'big.dog', ports: [{ number: 8000, protocol: '' }] } }, [{ ipAddresses: ['10.3.0.7'] }]),
        task(M, 'killed.3333', 'killed', S0, { state: 'TASK_KILLED' }),
        task(M, 'staging.3334', 'staging', S0, { state: 'TASK_STAGING' }),
        task(M, 'orphan.4444', 'orphan', 'unknown-S7'),
        task(M, 'ongone.5555', 'ongone', S9),
        // Unhealthy per its newest status that carries a health result.
        task(M, 'sick.6666', 'sick', S0, {}, [{ healthy: true, timestamp: 10 }, { healthy: false, timestamp: 20 }]),
        // Docker bridge: its container address does not route off the agent.
        task(M, 'bridged.7777', 'bridged', S1, { container: { type: 'DOCKER', docker: { image: 'x', network: 'BRIDGE' } } }, [{ ipAddresses: ['172.17.0.2'] }]),
        // Invalid characters in the name.
        task(M, 'myapp.8888', 'My App$%_v2', S0),
        // Docker and Mesos containerizer labels.
        task(M, 'labelled.9999', 'labelled', S1, {}, [
          { labels: { 'Docker.NetworkSettings.IPAddress': '10.4.0.1', 'MesosContainerizer.NetworkSettings.IPAddress': '10.5.0.1' } },
        ]),
      ]),
      framework(C, { name: 'chronos', hostname: '10.0.0.3' }, [
        task(C, 'ct:1413913764000:0:nightly backup:', 'ChronosTask:nightly backup', S0),
      ]),
      framework(P, { name: 'pod_123$abc.marathon-0.6.0-dev', hostname: 'unresolvable-host' }, [
        task(P, 'svc.1', 'svc', S0, {}, [{ ipAddresses: ['10.6.0.1'] }]),
      ]),
      framework(V, { name: 'ipv6-framework', webuiUrl: 'http://[2001:db8::1]:9090/' }, [
        task(V, 'toy-store.1', 'toy-store', S6, { resources: resources([[32000, 32000]]) }, [{ ipAddresses: ['fd01:b::1:8000:2', '12.0.1.2', 'not-an-ip'] }]),
      ]),
    ],
  });
}

export const FIXTURE_AGENTS = { S0, S1, S6, S9 } as const;
