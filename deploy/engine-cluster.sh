#!/usr/bin/env bash
# Starts and stops the two-node SolrCloud of deploy/engine-cluster (deploy/README.md), in the
# background, from the repository root: `deploy/engine-cluster.sh up|down`. Both are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

module=deploy/engine-cluster
state=${ENGINE_STATE_FILE:-data/engine-cluster.json}
pidfile=data/engine-cluster.pid
log=data/engine-cluster.log
admin="http://127.0.0.1:${ENGINE_ADMIN_PORT:-8989}"
heap=${ENGINE_HEAP:-1g}
start_timeout=${ENGINE_START_TIMEOUT:-180}

running_pid() {
	# The pid file's process, if it is still our launcher (a pid may be reused after a reboot).
	[ -f "$pidfile" ] || return 1
	local pid
	pid=$(cat "$pidfile")
	grep -q ArchiveCluster "/proc/$pid/cmdline" 2>/dev/null || return 1
	echo "$pid"
}

build() {
	# Rebuilt only when the module's sources change. Offline first: Maven reads the network
	# only when ~/.m2 lacks something (a cold machine), never at run time.
	local jar=$module/target/engine-cluster-1.0.jar
	if [ -f "$jar" ] && [ -d "$module/target/lib" ] &&
		[ -z "$(find "$module/pom.xml" "$module/src" -newer "$jar" -print -quit)" ]; then
		return
	fi
	echo "engine-cluster: building $module"
	# (Debian's Maven prints colour resets even in batch mode: sed drops them.)
	(cd "$module" && { mvn -B -q -o package >/dev/null 2>&1 ||
		mvn -B -q package 2>&1 | sed 's/\x1b\[0m//g'; })
}

print_urls() {
	python3 - "$state" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
print("SEARCH_URL=" + state["search_url"])
print("ENGINE_CLUSTER_URL=" + state["collection_url"])
PY
}

up() {
	if pid=$(running_pid) && curl -sf -o /dev/null "$admin/health"; then
		echo "engine-cluster: already running (pid $pid)"
		print_urls
		return
	fi
	down quiet
	build
	mkdir -p data
	echo "engine-cluster: starting (heap $heap; log in $log)"
	nohup java "-Xms$heap" "-Xmx$heap" -Dsolr.log.dir=data \
		-cp "$module/target/classes:$module/target/lib/*" \
		org.coalitionarchive.engine.ArchiveCluster >"$log" 2>&1 </dev/null &
	echo $! >"$pidfile"
	local started=$SECONDS
	until curl -sf -o /dev/null "$admin/health"; do
		if ! running_pid >/dev/null; then
			echo "engine-cluster: the launcher exited; the end of $log:" >&2
			tail -n 30 "$log" >&2
			rm -f "$pidfile"
			exit 1
		fi
		if ((SECONDS - started > start_timeout)); then
			echo "engine-cluster: not healthy after ${start_timeout}s; see $log" >&2
			down
			exit 1
		fi
		sleep 1
	done
	echo "engine-cluster: healthy after $((SECONDS - started))s (2 nodes live, all shards active)"
	print_urls
}

down() {
	local pid
	if ! pid=$(running_pid); then
		rm -f "$pidfile"
		[ "${1:-}" = quiet ] || echo "engine-cluster: not running"
		return
	fi
	echo "engine-cluster: stopping (pid $pid)"
	kill -TERM "$pid"
	for _ in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "engine-cluster: still running after 60s; killing it" >&2
		kill -KILL "$pid"
	fi
	rm -f "$pidfile"
	echo "engine-cluster: stopped"
}

case "${1:-}" in
up) up ;;
down) down ;;
*)
	echo "usage: $0 up|down" >&2
	exit 2
	;;
esac
