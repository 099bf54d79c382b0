import { rangesContain, round3, type Resources } from '@agora/model';

/**
 * Builds the test "is this leftover worth offering?": non-empty and holding at least one of the
 * `minimum` sets (Mesos' `--min_allocatable_resources`; an empty list accepts any non-empty leftover).
 * The sets are flattened once per cycle because the test runs for every agent.
 */
export function allocatableTest(minimum: readonly Resources[]): (available: Resources) => boolean {
  const sets = minimum.map((m) => ({
    scalars: Object.entries(m.scalars).map(([name, v]) => [name, round3(v)] as const),
    ports: m.ports,
  }));
  return (available) => {
    if (!nonEmpty(available)) return false;
    if (sets.length === 0) return true;
    const have = available.scalars;
    for (const set of sets) {
      let ok = true;
      for (const [name, want] of set.scalars) {
        if (round3(have[name] ?? 0) < want) {
          ok = false;
          break;
        }
      }
      if (ok && (set.ports.length === 0 || rangesContain(available.ports, set.ports))) return true;
    }
    return false;
  };
}

function nonEmpty(r: Resources): boolean {
  if (r.ports.length > 0) return true;
  const s = r.scalars;
  for (const k in s) if ((s[k] as number) > 0) return true;
  return false;
}
