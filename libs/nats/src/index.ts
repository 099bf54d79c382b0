export * from './bus';
export * from './micro-batcher';
