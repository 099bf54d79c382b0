export * from './scheduler-driver';
export * from './types';
export * from './offer-fit';
export { FrameworkEventStream } from './framework-event-stream';
