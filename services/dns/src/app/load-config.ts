import * as fs from 'node:fs';
import { resolveDnsConfig, type ResolvedDnsConfig } from '../records';
import type { DnsFlags } from './flags';

/** Config keys the command line sets, with the flag that sets them. */
function flagOverrides(flags: DnsFlags): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (flags.ip !== undefined) {
    o['Listener'] = flags.ip;
    o['HTTPListener'] = flags.ip;
  }
  if (flags.port !== undefined) o['Port'] = flags.port;
  if (flags.httpPort !== undefined) o['HttpPort'] = flags.httpPort;
  if (flags.domain !== undefined) o['Domain'] = flags.domain;
  if (flags.resolvers !== undefined) o['Resolvers'] = flags.resolvers;
  return o;
}

/**
 * Merges the config file's object (keys case-insensitive, as Mesos-DNS's Go decoder reads them) with the
 * flags, flags winning. Pure: the caller reads the file.
 */
export function mergeConfig(fileObject: unknown, flags: DnsFlags): ResolvedDnsConfig {
  const overrides = flagOverrides(flags);
  const lowered = new Set(Object.keys(overrides).map((k) => k.toLowerCase()));
  const base: Record<string, unknown> = {};
  if (fileObject !== undefined && fileObject !== null && typeof fileObject === 'object' && !Array.isArray(fileObject)) {
    for (const [k, v] of Object.entries(fileObject as Record<string, unknown>)) if (!lowered.has(k.toLowerCase())) base[k] = v;
  } else if (fileObject !== undefined) {
    return resolveDnsConfig(fileObject);
  }
  return resolveDnsConfig({ ...base, ...overrides });
}

/** Reads `--config FILE` (when given) and merges the flags. A file that cannot be read or parsed is an error. */
export function loadDnsConfig(flags: DnsFlags): ResolvedDnsConfig | { error: string } {
  let fileObject: unknown;
  if (flags.configFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(flags.configFile, 'utf8');
    } catch (e) {
      return { error: `cannot read config file ${flags.configFile}: ${e instanceof Error ? e.message : String(e)}` };
    }
    try {
      fileObject = JSON.parse(text);
    } catch (e) {
      return { error: `config file ${flags.configFile} is not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (typeof fileObject !== 'object' || fileObject === null || Array.isArray(fileObject)) {
      return { error: `config file ${flags.configFile} must hold a JSON object` };
    }
  }
  const resolved = mergeConfig(fileObject, flags);
  if (flags.configFile !== undefined) resolved.config.File = flags.configFile;
  return resolved;
}
