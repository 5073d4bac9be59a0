#!/usr/bin/env bash
# Measures what health checks cost the daemon, side by side in one run: `supervisor run` on a temporary
# embedded home with ROWS rows (default 1000) running `sleep`, first without checks, then with a
# liveness check on every row (CHECK: http, default, or tcp) every INTERVAL seconds (default 10, the
# default interval: 100 probes a second at 1,000 rows), all against one local HTTP server (the JDK's
# jwebserver), so what is measured is the daemon's side. Each daemon settles SETTLE seconds (default 90)
# after every row is RUNNING, then its user + system CPU time is read from /proc over WINDOW seconds
# (default 60), with its RSS and thread count.
# Run from the repository root after ./mvnw -DskipTests package (or set JAR). Usage: docs/measure-health-checks.sh
set -euo pipefail
JAR="${JAR:-$(pwd)/supervisor-cli/target/supervisor.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JWEBSERVER="${JAVA_HOME:+$JAVA_HOME/bin/}jwebserver"
ROWS="${ROWS:-1000}"
CHECK="${CHECK:-http}"
INTERVAL="${INTERVAL:-10}"
SETTLE="${SETTLE:-90}"
WINDOW="${WINDOW:-60}"
PORT="${PORT:-18999}"
TICKS="$(getconf CLK_TCK)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/www"
echo ok > "$work/www/index.html"
"$JWEBSERVER" -b 127.0.0.1 -p "$PORT" -d "$work/www" > "$work/www.out" 2>&1 &
pids+=($!)

measure() { # $1: label, $2: the payload's extra fields (JSON, may be empty)
  local label="$1" extra="$2" H="$work/home-$1" daemon c0 c1
  "$JAVA" -jar "$JAR" --home "$H" add warm -- sleep 100000 >/dev/null
  for i in $(seq $((ROWS - 1))); do
    echo "INSERT INTO supervisor_processes (name, payload) VALUES ('n$i', '{\"argv\":[\"sleep\",\"100000\"]$extra}');"
  done > "$work/rows.sql"
  "$JAVA" -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$H/db/supervisor;AUTO_SERVER=TRUE" -script "$work/rows.sql"
  "$JAVA" -jar "$JAR" --home "$H" run > "$work/daemon-$label.out" 2>&1 &
  daemon=$!
  pids+=("$daemon")
  until [ "$("$JAVA" -jar "$JAR" --home "$H" list --json 2>/dev/null | grep -o '"state":"RUNNING"' | wc -l)" -ge "$ROWS" ]; do
    sleep 2
  done
  sleep "$SETTLE"
  c0="$(awk '{print $14 + $15}' "/proc/$daemon/stat")"
  sleep "$WINDOW"
  c1="$(awk '{print $14 + $15}' "/proc/$daemon/stat")"
  awk -v t="$TICKS" -v w="$WINDOW" -v d="$((c1 - c0))" -v l="$label" \
      -v rss="$(awk '/VmRSS/{print $2}' "/proc/$daemon/status")" -v th="$(awk '/Threads/{print $2}' "/proc/$daemon/status")" \
      'BEGIN {printf "%-28s %6.2f %% of a core over %d s, RSS %d MB, %d threads\n", l, d * 100 / t / w, w, rss / 1024, th}'
  kill "$daemon"
  wait "$daemon" 2>/dev/null || true
}

echo "$ROWS rows of sleep; settle $SETTLE s, measure $WINDOW s; load $(cut -d ' ' -f 1-3 /proc/loadavg)"
measure "no-checks" ""
if [ "$CHECK" = tcp ]; then
  target="\"tcp\":\"127.0.0.1:$PORT\""
else
  target="\"http\":\"http://127.0.0.1:$PORT/\""
fi
measure "$CHECK-check-every-${INTERVAL}s" ",\"health\":{$target,\"interval\":$INTERVAL}"
echo "unhealthy restarts during the run: $(grep -c "unhealthy" "$work/daemon-$CHECK-check-every-${INTERVAL}s.out" || true)"
