export * from './resources';
export * from './task-state';
export * from './ids';
export * from './attributes';
