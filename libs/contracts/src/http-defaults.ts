/** Default ports of the single-node cluster (DESIGN.md); `--port-offset K` adds K to each. */
export const DEFAULT_PORTS = {
  nats: 4222,
  consulHttp: 8500,
  consulSerfLan: 8301,
  consulSerfWan: 8302,
  consulServer: 8300,
  master: 5050,
  agent: 5051,
  marathon: 8080,
  chronos: 4400,
  dns: 8053,
  dnsHttp: 8123,
} as const;

export const AGORA_VERSION = '0.1.0';
