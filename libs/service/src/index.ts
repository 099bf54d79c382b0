export * from './cors';
export * from './lifecycle';
