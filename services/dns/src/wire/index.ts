export * from './constants';
export type { DnsMessage, Header, Question, ResourceRecord, RData, Edns, EdnsOption } from './types';
export { emptyHeader } from './types';
export { parseMessage, type ParseResult, type WireErrorCode } from './parse';
export { encodeMessage, type EncodeOptions, type EncodeResult } from './encode';
export { EncodeError, nameKey, nameToLabels } from './names';
export { buildQuery, type QuerySpec } from './query';
