export * from './types';
export { allocate } from './allocate';
export { dominantShare, SHARE_KINDS } from './shares';
