export * from './define';
export * from './errors';
export * from './schemas';
export * from './subjects';
export * from './kv-keys';
export * from './http-defaults';
