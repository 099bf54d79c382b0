export * from './consul-client';
export * from './leader-election';
export * from './service-registration';
