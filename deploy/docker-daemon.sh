#!/usr/bin/env bash
# A Docker daemon of Agora's own, for machines where none runs: Debian's dockerd with the vfs storage
# driver (works on any filesystem, also inside containers), no default bridge and no iptables rules (tasks
# use host networking), everything under one directory DIR:
#   DIR/data         images and containers (--data-root)
#   DIR/run          runtime state and containerd (--exec-root), DIR/dockerd.pid, DIR/dockerd.log
#   DIR/docker.sock  the API socket (DOCKER_HOST=unix://DIR/docker.sock)
# Unix socket paths are limited to 107 bytes: with a DIR longer than 60 characters the socket and the
# runtime state go to /run/agora-docker-<hash of DIR> instead (`socket` prints where).
#
# Usage: docker-daemon.sh start [DIR]    start in the background unless one answers there; print the socket
#        docker-daemon.sh stop [DIR]     stop the daemon started in DIR (by its pid file) and clean up
#        docker-daemon.sh run [DIR]      run in the foreground (the launcher supervises it this way)
#        docker-daemon.sh cleanup [DIR]  after the daemon is gone: unmount what it left, remove runtime state
#        docker-daemon.sh socket [DIR]   print the socket path
#        docker-daemon.sh status [DIR]   exit 0 when the daemon answers
# DIR defaults to /var/lib/agora-docker. Needs root (dockerd does).
set -euo pipefail

cmd=${1:-}
dir=${2:-/var/lib/agora-docker}
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
dir=${dir%/}

if [ ${#dir} -le 60 ]; then
  run="$dir/run"
  sock="$dir/docker.sock"
else
  run="/run/agora-docker-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
  sock="$run/docker.sock"
fi
pidfile="$dir/dockerd.pid"
logfile="$dir/dockerd.log"

answers() {
  # the daemon answers /_ping with OK
  [ -S "$sock" ] && [ "$(curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping 2>/dev/null || true)" = OK ]
}

# The pid in the pid file, if that process is a dockerd (a stale file may name a recycled pid).
our_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
  return 0
}

daemon_args() {
  echo --storage-driver vfs --bridge none --iptables=false --ip6tables=false \
    --data-root "$dir/data" --exec-root "$run" --pidfile "$pidfile" --host "unix://$sock"
}

cleanup() {
  # dockerd leaves the bind mount of its own network namespace behind
  for m in $(awk -v r="$run/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$run" 2>/dev/null || true
  rm -f "$pidfile" "$sock"
}

need_dockerd() {
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "agora: dockerd is not installed (Debian package docker.io; deploy/install-system.sh installs it)" >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "agora: dockerd needs root" >&2
    exit 1
  fi
}

case "$cmd" in
  socket)
    echo "$sock"
    ;;
  status)
    answers
    ;;
  run)
    need_dockerd
    mkdir -p "$dir/data" "$run"
    # shellcheck disable=SC2046
    exec dockerd $(daemon_args)
    ;;
  start)
    if answers; then
      echo "unix://$sock"
      exit 0
    fi
    need_dockerd
    if [ -n "$(our_pid)" ]; then
      echo "agora: a dockerd for $dir runs (pid $(our_pid)) but does not answer; see $logfile" >&2
      exit 1
    fi
    cleanup
    mkdir -p "$dir/data" "$run"
    # shellcheck disable=SC2046
    setsid dockerd $(daemon_args) >>"$logfile" 2>&1 < /dev/null &
    for _ in $(seq 1 300); do
      if answers; then
        echo "unix://$sock"
        exit 0
      fi
      if [ -z "$(our_pid)" ] && ! kill -0 $! 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "agora: dockerd did not come up; last lines of $logfile:" >&2
    tail -n 15 "$logfile" >&2 || true
    exit 1
    ;;
  stop)
    pid=$(our_pid)
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do
        [ -d "/proc/$pid" ] || break
        sleep 0.1
      done
      if [ -d "/proc/$pid" ]; then
        echo "agora: dockerd (pid $pid) did not stop within 15 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
      fi
    fi
    cleanup
    ;;
  cleanup)
    if [ -n "$(our_pid)" ]; then
      echo "agora: dockerd for $dir still runs; stop it first" >&2
      exit 1
    fi
    cleanup
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
