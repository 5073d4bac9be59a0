#!/usr/bin/env bash
# Runs the whole test suite N times (default 5) on a clean clone of HEAD while a shell loop keeps
# one core busy, to shake out tests that depend on timing. Prints one line per run and, at the end,
# every test that failed. Needs what ./mvnw needs (JAVA_HOME or java: JDK 21+; PostgreSQL as for the
# tests, which run with CI=true). Usage: docs/soak-tests.sh [runs]
set -uo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill "$burner" 2>/dev/null; rm -rf "$work"' EXIT
git clone -q "$repo" "$work/repo"
cd "$work/repo"
nice -n 10 bash -c 'while :; do :; done' &
burner=$!
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  CI=true ./mvnw -B verify -Dmaven.test.failure.ignore=true > "$work/run$i.log" 2>&1
  rc=$?
  bad=$(grep -hE "<<< (FAILURE|ERROR)" "$work/run$i.log" | sed 's/ -- Time elapsed.*//' | sort -u)
  echo "run $i of $runs: exit $rc in $(( $(date +%s) - start )) s${bad:+; failed: $bad}"
  if [ $rc -ne 0 ] || [ -n "$bad" ]; then failed=$((failed + 1)); cp "$work/run$i.log" "$repo/soak-run$i.log"; fi
done
if [ "$failed" -eq 0 ]; then
  echo "all $runs runs passed"
else
  echo "$failed of $runs runs failed; their logs are in soak-run*.log"
  exit 1
fi
