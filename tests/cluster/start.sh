#!/usr/bin/env bash
# start.sh DIR [harness flags...]
# Builds the harness if needed, starts it in the background on a free
# 127.0.0.1 port with DIR as its working directory, and waits until
# DIR/kubeconfig appears (= ready). Prints the kubeconfig path on stdout.
# The CRDs in crds/ are installed unless a -crds flag is given.
#
#   K8SMIG_HARNESS_PORT     port to use (default: a free one)
#   K8SMIG_HARNESS_TIMEOUT  seconds to wait for ready (default 120)
#
# Writes DIR/harness.pid and DIR/harness.port; logs go to DIR/harness.log
# (and DIR/kcm.log with -kcm). Stop with stop.sh DIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 1 ]; then
	echo "usage: $0 DIR [-kcm] [-crds DIR] [-max-requests-inflight N]" >&2
	exit 2
fi
mkdir -p "$1"
dir="$(cd "$1" && pwd)"
shift

if [ -f "$dir/harness.pid" ] && kill -0 "$(cat "$dir/harness.pid")" 2>/dev/null; then
	echo "start.sh: a harness is already running in $dir (pid $(cat "$dir/harness.pid")); stop.sh it first" >&2
	exit 1
fi

bin="$("$here/build.sh")"

port="${K8SMIG_HARNESS_PORT:-}"
if [ -z "$port" ]; then
	port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 16443)"
fi

args=(-dir "$dir" -port "$port")
case " $* " in
*" -crds"* | *" --crds"*) ;;
*) args+=(-crds "$here/crds") ;;
esac

rm -f "$dir/kubeconfig"
echo "=== start.sh $(date -u +%FT%TZ): $bin ${args[*]} $*" >>"$dir/harness.log"
"$bin" "${args[@]}" "$@" </dev/null >>"$dir/harness.log" 2>&1 &
pid=$!
echo "$pid" >"$dir/harness.pid"
echo "$port" >"$dir/harness.port"

timeout="${K8SMIG_HARNESS_TIMEOUT:-120}"
deadline=$((SECONDS + timeout))
while [ ! -f "$dir/kubeconfig" ]; do
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" && rc=0 || rc=$?
		echo "start.sh: the harness exited (status $rc) before it was ready. Last lines of $dir/harness.log:" >&2
		tail -n 40 "$dir/harness.log" >&2
		rm -f "$dir/harness.pid"
		exit 1
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "start.sh: the harness (pid $pid) was not ready after ${timeout}s. Last lines of $dir/harness.log:" >&2
		tail -n 40 "$dir/harness.log" >&2
		[ -f "$dir/kcm.log" ] && { echo "--- last lines of $dir/kcm.log:" >&2; tail -n 20 "$dir/kcm.log" >&2; }
		"$here/stop.sh" "$dir" >&2 || true
		exit 1
	fi
	sleep 0.2
done
echo "start.sh: ready on https://127.0.0.1:$port (pid $pid) after $((SECONDS))s" >&2
echo "$dir/kubeconfig"
