#!/usr/bin/env bash
# Installs the Debian packages Agora needs when they are missing. Idempotent and quiet when all is there.
# consul 1.8.7 comes from bullseye (bookworm dropped it): we add that suite from the machine's own
# configured Debian source, pinned low so nothing else is taken from it.
set -euo pipefail

need=()
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
# deploy/docker-daemon.sh asks a daemon whether it answers with curl over the unix socket
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v dig >/dev/null 2>&1 || need+=(dnsutils)
command -v consul >/dev/null 2>&1 || need+=(consul)
command -v busybox >/dev/null 2>&1 || need+=(busybox-static)
# DNS benchmark peers (bench/dns-*.bench.ts): the load generator and a C authoritative server as reference
command -v dnsperf >/dev/null 2>&1 || need+=(dnsperf)
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || need+=(nsd)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "agora: missing Debian packages (${need[*]}) and not root; install them and retry" >&2
  exit 1
fi

echo "agora: installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive

if [[ " ${need[*]} " == *" consul "* ]]; then
  src=/etc/apt/sources.list.d/debian.sources
  dst=/etc/apt/sources.list.d/agora-bullseye.sources
  if [ ! -f "$dst" ]; then
    if [ -f "$src" ]; then
      # first stanza of the machine's own Debian source, with its suite set to bullseye
      awk 'BEGIN{s=0} /^[[:space:]]*$/{if(s)exit} {s=1; print}' "$src" \
        | sed -E 's/^Suites:.*/Suites: bullseye/' > "$dst"
    elif [ -f /etc/apt/sources.list ]; then
      line=$(grep -E '^deb [^ ]+ bookworm ' /etc/apt/sources.list | head -1)
      echo "$line" | sed -E 's/ bookworm / bullseye /; s/ main.*/ main/' > /etc/apt/sources.list.d/agora-bullseye.list
    else
      echo "agora: no Debian apt source found to derive bullseye from" >&2; exit 1
    fi
    cat > /etc/apt/preferences.d/agora-bullseye <<'PIN'
Package: *
Pin: release n=bullseye
Pin-Priority: 100
PIN
  fi
fi

apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "agora: Debian packages installed" >&2
