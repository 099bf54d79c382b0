import type { z } from 'zod';
import { renderPath, Violations } from './validation-error';

/**
 * Turns zod issues into Marathon's detail list. Marathon reads JSON with Play, whose error keys clients
 * may match on (`error.min`, `error.expected.jsnumber`, `error.path.missing` …), so the same keys are
 * produced here. Unknown fields, which Marathon silently drops, are reported as `error.unknown.property`.
 */
export function zodIssuesToViolations(issues: readonly z.core.$ZodIssue[], input: unknown, out = new Violations(), prefix: PropertyKey[] = []): Violations {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.add(renderPath([...path, key]), 'error.unknown.property');
        break;
      case 'invalid_union': {
        // Report the branch that matches the input's JSON type (e.g. the object branch for an object).
        const branches = issue.errors.filter((b) => b.length > 0);
        const fitting = branches.find((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0)) ?? branches[0] ?? [];
        zodIssuesToViolations(fitting, input, out, path);
        break;
      }
      default:
        out.add(renderPath(path), playKey(issue, valueAt(input, path)));
    }
  }
  return out;
}

function playKey(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'error.path.missing';
      switch (issue.expected) {
        case 'number':
          return 'error.expected.jsnumber';
        case 'int':
          return typeof value === 'number' ? 'error.expected.int' : 'error.expected.jsnumber';
        case 'string':
          return 'error.expected.jsstring';
        case 'boolean':
          return 'error.expected.jsboolean';
        case 'array':
          return 'error.expected.jsarray';
        case 'object':
        case 'record':
          return 'error.expected.jsobject';
        default:
          return `error.expected.${String(issue.expected)}`;
      }
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint' ? 'error.min' : 'error.minLength';
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint' ? 'error.max' : 'error.maxLength';
    case 'invalid_value':
      return 'error.unknown.enum.literal';
    case 'invalid_format':
      return 'error.pattern';
    default:
      return issue.message;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}
