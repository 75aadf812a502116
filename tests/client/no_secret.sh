#!/bin/sh
# Run a test binary and fail if the secret marker it plants in credentials
# appears anywhere in its standard output or standard error (issue 15: no
# secret in any output stream). Output is passed through for TAP.
out=$(mktemp) || exit 1
"$@" >"$out" 2>&1
rc=$?
cat "$out"
if grep -q 'K8SMIG-SECRET-MARKER' "$out"; then
	echo "not ok - the planted secret marker appeared in the test's output" 
	echo "no_secret.sh: the planted secret marker appeared in the output of $1" >&2
	rm -f "$out"
	exit 1
fi
rm -f "$out"
exit $rc
