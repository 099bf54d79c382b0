/**
 * Agent and framework ids become NATS subject tokens (`agora.agent.<id>.launch`) and KV key parts, so
 * ids that come from the outside must not carry `.`, `*`, `>`, `/` or whitespace.
 */
export const SUBJECT_SAFE_ID = /^[A-Za-z0-9_:-]{1,200}$/;

export function isSubjectSafeId(id: string): boolean {
  return SUBJECT_SAFE_ID.test(id);
}
