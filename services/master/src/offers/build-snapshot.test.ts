import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '@agora/model';
import type { FrameworkInfo } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import { buildSnapshot } from './build-snapshot';

const fwInfo: FrameworkInfo = { name: 'f', user: 'root', role: 'web', failoverTimeoutSeconds: 0, checkpoint: true, capabilities: [], labels: {} };

describe('buildSnapshot', () => {
  test('available = total − used − offered; expired filters dropped; inactive agents and frameworks flagged', () => {
    const s = new MasterState();
    const a = s.newAgent({ id: 'S1', hostname: 'h', ip: 'i', port: 1, resources: resources({ cpus: 4, mem: 1000 }, [{ begin: 1, end: 10 }]), attributes: { rack: 'x' } }, 0);
    a.used = resources({ cpus: 1, mem: 100 }, [{ begin: 1, end: 1 }]);
    a.offered = resources({ cpus: 2 }, [{ begin: 5, end: 10 }]);
    const b = s.newAgent({ id: 'S2', hostname: 'h2', ip: 'i', port: 1, resources: resources({ cpus: 1 }), attributes: {} }, 0);
    b.status = 'UNREACHABLE';
    b.active = false;
    s.agents.set('S1', a);
    s.agents.set('S2', b);
    const f = s.newFramework('F', fwInfo, 0, { connected: true, placeholder: false });
    f.used = resources({ cpus: 1 });
    f.offered = resources({ cpus: 2 });
    f.filters.set('S1', 2000);
    f.filters.set('S2', 500);
    const g = s.newFramework('G', fwInfo, 0, { connected: false, placeholder: true });
    s.frameworks.set('F', f);
    s.frameworks.set('G', g);

    const snap = buildSnapshot(s.agents.values(), s.frameworks.values(), { web: 2 }, 1000);
    assert.deepEqual(snap.agents[0]?.available, resources({ cpus: 1, mem: 900 }, [{ begin: 2, end: 4 }]));
    assert.equal(snap.agents[0]?.active, true);
    assert.equal(snap.agents[1]?.active, false);
    assert.deepEqual(snap.frameworks[0]?.allocated, resources({ cpus: 3 }));
    assert.deepEqual([...(snap.frameworks[0]?.filters ?? new Map())], [['S1', 2000]]);
    assert.equal(snap.frameworks[1]?.active, false);
    assert.deepEqual(snap.weights, { web: 2 });
    assert.equal(snap.minAllocatable.length, 2);
  });
});
