import type { Command } from '@agora/contracts';

/**
 * $0 of a delayed wrapper (`sh -c script $0 $1`, $1 from `uptimeCentiseconds`, fd 3 the wake-up pipe):
 * what /bin/sh gets without extra arguments, so the command sees the same $0 either way.
 */
export const DELAYED_ARGV0 = '/bin/sh';

/** Name of the file in the sandbox where the wrapper records the command's exit status. */
export const EXIT_STATUS_FILE = '.agora-exit-status';

/** Single-quotes a word for /bin/sh: nothing inside single quotes is special except the quote itself. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line the wrapper runs, or an error string when the task has nothing to run.
 * shell=true: the value evaluated by the wrapper shell itself — what `/bin/sh -c value` does, without
 * a second shell process per task (an `exit` in it still ends up in the wrapper's EXIT trap). shell=false: `value` executed with `arguments`; as in Mesos,
 * `arguments` is the whole argv including argv[0] when its first word is the value (or its basename),
 * otherwise it is taken as the arguments after the executable (POSIX sh cannot set argv[0] by itself).
 */
export function commandLine(cmd: Command | undefined): string | { error: string } {
  const value = cmd?.value;
  if (!cmd || value === undefined || value.trim() === '') return { error: 'the task has no command to run' };
  if (cmd.shell) return `eval ${shellQuote(value)}`;
  let args = cmd.arguments ?? [];
  const first = args[0];
  if (first !== undefined && (first === value || first === value.replace(/^.*\//, ''))) args = args.slice(1);
  return [value, ...args].map(shellQuote).join(' ');
}

/**
 * The /bin/sh script the agent has its spawner start (detached, in its own process group, cwd = the
 * sandbox) for a task. It opens the sandbox's stdout and stderr for appending, moves itself into the
 * task's cgroups — so the command is limited from its first instruction, with no race against the
 * agent — and runs the command; the shell exits with the command's status.
 *
 * The exit status reaches the agent through the spawner, which reaps the wrapper. Only when nobody is
 * left to reap it — its parent is no longer the spawner it started under — does the EXIT trap record
 * the status in <sandbox>/.agora-exit-status for a restarted agent. (Creating a file is the dearest
 * part of a launch on common filesystems, so the common case creates none; the spawner itself writes
 * the file for exits it could not deliver.)
 */
export function wrapperScript(commandLine: string, sandbox: string, cgroupProcsFiles: readonly string[], opts: { delayed?: boolean } = {}): string {
  const lines: string[] = [`exec >>${shellQuote(`${sandbox}/stdout`)} 2>>${shellQuote(`${sandbox}/stderr`)} </dev/null`];
  if (cgroupProcsFiles.length > 0) {
    const joins = cgroupProcsFiles.map((f) => `echo $$ > ${shellQuote(f)}`).join(' && ');
    lines.push(`${joins} || { echo 'agora: could not join the task cgroups' >&2; exit 125; }`);
  }
  // field 4 of /proc/$$/stat is the current parent; $PPID the one at start
  const record = `s=$?; read -r l < /proc/$$/stat; l=\${l##*) }; set -- $l; [ "$2" = "$PPID" ] || echo $s > ${shellQuote(`${sandbox}/${EXIT_STATUS_FILE}`)}; exit $s`;
  lines.push(`trap ${shellQuote(record)} EXIT`);
  // Launch ahead: the wrapper is created early and waits. $1 is the instant to start at, as /proc/uptime
  // in centiseconds (0: at once). The spawner gives all wrappers due at one instant the read end of one
  // pipe as fd 3 and, at that instant, writes a line for each: one write wakes them all, with no process
  // of their own to exit first. If the pipe ends without a line (the spawner died), or there is none, the
  // wrapper waits out the rest by itself, measuring what is left just before `sleep`. Builtins only, besides that sleep.
  // Then fd 3, its variables and the positional parameters are cleared: the command sees what it would
  // without launch ahead.
  if (opts.delayed) {
    lines.push(
      `[ "$1" = 0 ] || read -r u 2>/dev/null <&3 || { read -r u _ </proc/uptime; u=\${u%.*}\${u#*.}; r=$(($1 - u)); [ "$r" -le 0 ] || sleep $((r / 100)).$((r % 100 / 10))$((r % 10)); }; exec 3<&-; unset u r; set --`,
    );
  }
  lines.push(commandLine);
  return lines.join('\n');
}

/**
 * `atMs` (epoch ms) as the /proc/uptime reading (in centiseconds, rounded up) a delayed wrapper waits
 * for; 0 when it is not in the future.
 */
export function uptimeCentiseconds(atMs: number, nowMs: number, uptimeText: string): number {
  const up = Number(uptimeText.split(' ')[0]);
  if (!(atMs > nowMs) || !Number.isFinite(up)) return 0;
  return Math.ceil(up * 100 + (atMs - nowMs) / 10);
}
