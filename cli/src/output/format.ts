/** Formatting of single values in tables. */

/** Up to 3 decimals (Mesos' scalar precision), no trailing zeros: 0.1, 2, 1.125. */
export function formatNumber(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** `used/total`, e.g. `0.5/4`. */
export function usedOfTotal(used: number | undefined, total: number | undefined): string {
  return `${formatNumber(used ?? 0)}/${formatNumber(total ?? 0)}`;
}

/** Attributes as the agent's `--attributes` flag takes them: `rack:a;zone:z1`; `-` when none. */
export function formatAttributes(attrs: Record<string, string | number | boolean>): string {
  const parts = Object.entries(attrs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${String(v)}`);
  return parts.length ? parts.join(';') : '-';
}

/** A cell that must not be empty (an empty cell shifts columns for people reading with `awk`). */
export function cell(value: string | undefined): string {
  return value === undefined || value === '' ? '-' : value;
}
