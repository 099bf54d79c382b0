/** The pure core of the Chronos framework: schedules, job validation, DAG readiness, retries, tick planning. */
export * from './time-zone';
export * from './iso8601';
export * from './cron';
export * from './schedule';
export * from './job-schema';
export * from './validate-job';
export * from './task-naming';
export * from './run-record';
export * from './retries';
export * from './dag';
export * from './schedule-state';
export * from './plan-tick';
export * from './run-outcome';
export * from './job-view';
export * from './task-info';
export * from './constraints';
export * from './job-stats';
