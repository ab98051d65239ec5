#!/usr/bin/env bash
# pretest: the integration tests start real PostgreSQL, Prometheus and the gh CLI on loopback.
# Install what a fresh Debian machine lacks; if that is impossible, fail and say what is missing.
# A missing prerequisite is never a silently skipped test.
set -euo pipefail

missing=()
pg_bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bindir" ] && [ -x "$pg_bindir/initdb" ] && [ -x "$pg_bindir/pg_dump" ] || missing+=(postgresql)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v gh >/dev/null 2>&1 || missing+=(gh)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "pretest: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "pretest: missing Debian packages: ${missing[*]}" >&2
    echo "pretest: install them (sudo apt-get install -y ${missing[*]}) and run the tests again." >&2
    exit 1
  fi
fi

# Debian starts services on install; the tests start their own on random loopback ports.
for svc in prometheus postgresql; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 24 ]; then
  echo "pretest: the tests run on Node 24 (npm's node@24 package, installed by npm ci); found $(node --version)" >&2
  exit 1
fi
