import { kv } from '@agora/contracts';
import type { ConsulClient } from '@agora/consul';

/**
 * Increments the master epoch in Consul with compare-and-set, so every leadership term has a number no
 * earlier term had (events carry it; consumers spot a new leader by it).
 */
export async function bumpEpoch(consul: ConsulClient, attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const entry = await consul.get(kv.masterEpoch());
    const current = Number(entry?.value ?? 0);
    const next = (Number.isSafeInteger(current) && current > 0 ? current : 0) + 1;
    if (await consul.cas(kv.masterEpoch(), String(next), entry?.modifyIndex ?? 0)) return next;
  }
  throw new Error(`could not increment ${kv.masterEpoch()} after ${attempts} attempts`);
}
