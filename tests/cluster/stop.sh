#!/usr/bin/env bash
# stop.sh DIR: stops the harness started by start.sh DIR. SIGTERM first (the
# apiserver shuts down gracefully, etcd closes, the controller manager child
# is stopped), SIGKILL after K8SMIG_STOP_TIMEOUT seconds (default 30).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir="$1"
pidfile="$dir/harness.pid"
[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile")"

alive() { # a zombie counts as gone
	[ -r "/proc/$1/stat" ] || return 1
	local state
	state="$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)"
	[ "$state" != Z ]
}

# Only signal our own harness (the pid may have been reused since).
if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-dir"; then
	kill -TERM "$pid" 2>/dev/null || true
	deadline=$((SECONDS + ${K8SMIG_STOP_TIMEOUT:-30}))
	while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.1
	done
	if alive "$pid"; then
		echo "stop.sh: harness $pid ignored SIGTERM for ${K8SMIG_STOP_TIMEOUT:-30}s; sending SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
fi
rm -f "$pidfile" "$dir/kubeconfig"
