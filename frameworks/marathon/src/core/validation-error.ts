/**
 * Marathon's error body for a rejected definition (HTTP 422): `{message, details: [{path, errors}]}`.
 * Paths are JSON-pointer-like with array indices in parentheses, as Marathon renders them:
 * `/portDefinitions(0)/port`; a violation of the whole object has path `/`.
 */
export interface ValidationDetail {
  path: string;
  errors: string[];
}

export interface ValidationFailure {
  message: string;
  details: ValidationDetail[];
}

/** Marathon answers shape errors (types, ranges, enums, unknown fields) with this message… */
export const INVALID_JSON = 'Invalid JSON';
/** …and semantic errors (cmd with args, bad ids, constraint values …) with this one. Both are 422. */
export const OBJECT_NOT_VALID = 'Object is not valid';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: ValidationFailure };

export function renderPath(keys: ReadonlyArray<string | number | symbol>): string {
  if (keys.length === 0) return '/';
  return keys.map((k) => (typeof k === 'number' ? `(${k})` : `/${String(k)}`)).join('');
}

/** Collects violations per path, keeping first-seen order and dropping duplicate messages. */
export class Violations {
  private readonly byPath = new Map<string, string[]>();

  add(path: string, error: string): void {
    const list = this.byPath.get(path) ?? [];
    if (!list.includes(error)) list.push(error);
    this.byPath.set(path, list);
  }

  /** Adds every detail of another failure under a path prefix (`/apps(0)` + `/cpus`). */
  addAll(prefix: string, details: readonly ValidationDetail[]): void {
    for (const d of details) for (const e of d.errors) this.add(joinPath(prefix, d.path), e);
  }

  get empty(): boolean {
    return this.byPath.size === 0;
  }

  toFailure(message: string): ValidationFailure {
    return { message, details: [...this.byPath].map(([path, errors]) => ({ path, errors })) };
  }
}

export function joinPath(prefix: string, path: string): string {
  if (prefix === '/' || prefix === '') return path;
  if (path === '/') return prefix;
  return prefix + path;
}

export function failure(message: string, path: string, error: string): ValidationFailure {
  return { message, details: [{ path, errors: [error] }] };
}
