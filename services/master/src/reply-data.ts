import type { ReplyOf } from '@agora/contracts';

/** The `data` of a request's successful reply envelope: what a handler returns. */
export type ReplyData<D> = ReplyOf<D> extends infer E ? (E extends { ok: true; data: infer X } ? X : never) : never;
