export { buildRecordSet, type BuildContext } from './build-records';
export { defaultDnsConfig, resolveDnsConfig, IP_SOURCES, type DnsConfig, type IpSource, type ResolvedDnsConfig } from './config';
export {
  type RecordSet,
  type AddressRecord,
  type SrvRecord,
  type EnumerableFramework,
  type EnumerableTask,
  type EnumerableRecord,
} from './record-set';
export { labelRfc1123, labelRfc952, labelFunc, domainFrag, type LabelFunc } from './sanitize';
export { taskHash, agentIdTail, zbase32 } from './task-hash';
export { sha1, utf8 } from './sha1';
export { parseIp, formatIp, reverseName, parseCidr, type IpAddress, type Cidr } from './ip';
export { isPlainFqdn, asciiLower } from './names';
export { taskIps, isHealthyOrUnchecked, latestRunningStatus, DOCKER_IP_LABEL, MESOS_IP_LABEL } from './task-ips';
export { splitHostPort, urlHostPort } from './host-port';
