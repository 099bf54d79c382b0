export * from './cors';
export * from './lifecycle';
export * from './flags';
