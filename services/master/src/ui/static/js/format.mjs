// @ts-check
// Formatting of figures and times for display. Pure functions (also imported by Node tests).

/** @param {number} n */
export function num(n) {
  if (!Number.isFinite(n)) return '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, '');
}

/** Mesos' mem and disk are in MB. @param {number} mb */
export function mb(mb) {
  if (!Number.isFinite(mb)) return '–';
  if (mb >= 1024 * 1024) return `${num(mb / (1024 * 1024))} TB`;
  if (mb >= 1024) return `${num(mb / 1024)} GB`;
  return `${num(mb)} MB`;
}

/** @param {number} n */
export function cpus(n) {
  return num(n);
}

/**
 * "5 s ago", "3 min ago", "in 2 h" from epoch seconds.
 * @param {number | undefined | null} epochSeconds
 * @param {number} [nowMs]
 */
export function ago(epochSeconds, nowMs = Date.now()) {
  if (epochSeconds === undefined || epochSeconds === null || !Number.isFinite(epochSeconds) || epochSeconds <= 0) return '–';
  const d = nowMs / 1000 - epochSeconds;
  const text = span(Math.abs(d));
  return d >= 0 ? `${text} ago` : `in ${text}`;
}

/** @param {number} seconds */
export function span(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/**
 * ISO 8601 text → epoch seconds (undefined when empty or invalid).
 * @param {string | undefined | null} iso
 */
export function isoSeconds(iso) {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t / 1000 : undefined;
}

/** Local date and time, for tooltips. @param {number | undefined} epochSeconds */
export function when(epochSeconds) {
  if (!epochSeconds) return '';
  return new Date(epochSeconds * 1000).toLocaleString();
}

/** Long ids keep their start and end. @param {string} id @param {number} [keep] */
export function shortId(id, keep = 8) {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep)}`;
}

/** "TASK_RUNNING" → "running". @param {string} state */
export function stateLabel(state) {
  return state.replace(/^TASK_/, '').toLowerCase();
}

/** Badge kind of a task state. @param {string} state */
export function stateKind(state) {
  switch (state) {
    case 'TASK_RUNNING':
    case 'TASK_FINISHED':
      return 'ok';
    case 'TASK_STAGING':
    case 'TASK_STARTING':
    case 'TASK_KILLING':
      return 'info';
    case 'TASK_UNREACHABLE':
    case 'TASK_KILLED':
      return 'warn';
    case 'TASK_FAILED':
    case 'TASK_LOST':
    case 'TASK_ERROR':
    case 'TASK_DROPPED':
    case 'TASK_GONE':
    case 'TASK_GONE_BY_OPERATOR':
      return 'bad';
    default:
      return 'muted';
  }
}

export const TERMINAL_STATES = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);
