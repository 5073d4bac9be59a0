#!/usr/bin/env bash
# Measures an idle daemon as docs/performance.md quotes it: `supervisor run` on a temporary embedded
# home with 100 rows running `sleep`, left alone for SETTLE seconds (default 180: the JIT is still
# compiling in the first minute), then the daemon's user + system CPU time read from /proc over
# WINDOW seconds (default 60), in total and per thread (the busiest first).
# Run from the repository root after ./mvnw -DskipTests package. Usage: docs/measure-idle.sh
set -euo pipefail
JAR="$(pwd)/supervisor-cli/target/supervisor.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SETTLE="${SETTLE:-180}"
WINDOW="${WINDOW:-60}"
work="$(mktemp -d)"
H="$work/home"
TICKS="$(getconf CLK_TCK)"

"$JAVA" -jar "$JAR" --home "$H" add warm -- sleep 100000 >/dev/null
for i in $(seq 99); do
  echo "INSERT INTO supervisor_processes (name, payload) VALUES ('n$i', '{\"argv\":[\"sleep\",\"100000\"]}');"
done > "$work/rows.sql"
"$JAVA" -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$H/db/supervisor;AUTO_SERVER=TRUE" -script "$work/rows.sql"
"$JAVA" -jar "$JAR" --home "$H" run > "$work/daemon.out" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
until [ "$("$JAVA" -jar "$JAR" --home "$H" list --json 2>/dev/null | grep -o '"state":"RUNNING"' | wc -l)" -ge 100 ]; do
  sleep 1
done
echo "100 rows RUNNING; settling for $SETTLE s, then measuring over $WINDOW s"
sleep "$SETTLE"

# per thread: "TID NAME TICKS"; the name is field 2 of stat, in parentheses, and may hold spaces
threads() {
  for t in /proc/"$daemon"/task/*; do
    stat="$(cat "$t/stat" 2>/dev/null)" || continue
    name="${stat#*(}"; name="${name%)*}"; rest="${stat##*) }"
    echo "${t##*/} $(echo "$rest" | awk '{print $12 + $13}') ${name// /_}"
  done
}
total() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
c0="$(total)"; threads > "$work/t0"
sleep "$WINDOW"
c1="$(total)"; threads > "$work/t1"

echo "load $(cut -d ' ' -f 1-3 /proc/loadavg); daemon RSS $(awk '/VmRSS/{print $2}' "/proc/$daemon/status") KB," \
  "$(awk '/Threads/{print $2}' "/proc/$daemon/status") threads"
awk -v t="$TICKS" -v w="$WINDOW" -v d="$((c1 - c0))" \
  'BEGIN {printf "daemon: %.2f %% of a core over %d s\n", d * 100 / t / w, w}'
echo "busiest threads (% of a core):"
join <(sort "$work/t0") <(sort "$work/t1") \
  | awk -v t="$TICKS" -v w="$WINDOW" '{d = $4 - $2; if (d > 0) printf "%7.2f  %s\n", d * 100 / t / w, $3}' \
  | sort -rn | head -12
