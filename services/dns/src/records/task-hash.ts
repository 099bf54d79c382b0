import { sha1, utf8 } from './sha1';

/** z-base-32 (human-oriented base-32) alphabet; bits are read most significant first. */
const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function zbase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ZBASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** The `<hash>` of a canonical task name: the first 5 characters of z-base-32(SHA-1(task id)). */
export function taskHash(taskId: string): string {
  return zbase32(sha1(utf8(taskId))).slice(0, 5);
}

/** The `<slaveTail>` of a canonical task name: the agent id's last `-` field, lowercased (`…-S3` → `s3`). */
export function agentIdTail(agentId: string): string {
  const dash = agentId.lastIndexOf('-');
  return (dash < 0 ? agentId : agentId.slice(dash + 1)).toLowerCase();
}
