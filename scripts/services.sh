#!/usr/bin/env bash
# Brings up the services the PostgreSQL and browser tests need, on a Debian machine where none
# runs at start: installs Debian's postgresql and chromium when missing, trusts loopback
# connections to the local cluster (the tests connect as postgres@127.0.0.1 with no password),
# starts the cluster and waits until it accepts connections. Safe to run again.
# Used by `make services` and by .ci/run.
set -euo pipefail

PG_PORT=${PG_PORT:-5432}
HBA_MARK="# coalition-archive: loopback trusted for the local development and test cluster"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "services: '$*' needs root (or sudo)" >&2; exit 1
    fi
}

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    echo "--- installing Debian's ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The newest installed server version, and its cluster (created when the package's own
# post-install step did not, as in some images).
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v {print $2; exit}')
if [ -z "$cluster" ]; then
    echo "--- creating PostgreSQL $version cluster main on port $PG_PORT"
    as_root pg_createcluster --port "$PG_PORT" "$version" main >/dev/null
    cluster=main
fi
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $3}')
if [ "$port" != "$PG_PORT" ]; then
    echo "services: the PostgreSQL $version/$cluster cluster listens on $port, not $PG_PORT" >&2
    exit 1
fi

# Debian's default is scram-sha-256 on loopback; these lines go first so that they win.
hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
if ! as_root grep -qF "$HBA_MARK" "$hba"; then
    echo "--- trusting loopback connections in $hba"
    as_root sed -i "1i $HBA_MARK\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust" "$hba"
    reload=1
fi

status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $4}')
if [ "$status" != online ]; then
    echo "--- starting PostgreSQL $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" start
elif [ -n "${reload:-}" ]; then
    as_root pg_ctlcluster "$version" "$cluster" reload
fi

for _ in $(seq 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        echo "--- PostgreSQL $version is up on 127.0.0.1:$PG_PORT; Chromium: $(command -v chromium)"
        exit 0
    fi
    sleep 0.5
done
echo "services: PostgreSQL did not accept connections on 127.0.0.1:$PG_PORT within 30 s" >&2
echo "  see /var/log/postgresql/postgresql-$version-$cluster.log" >&2
exit 1
