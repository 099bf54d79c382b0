/** Nest injection tokens for values that are not classes. */
export const CONFIG = Symbol('marathon.config');
export const LOGGER = Symbol('marathon.logger');
