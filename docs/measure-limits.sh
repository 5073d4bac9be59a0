#!/usr/bin/env bash
# Measures what limits add to a command's start, side by side in one run: a daemon on a temporary
# embedded home, ROWS rows (default 100) inserted by one SQL script, each command writing the time it
# was executed (after its cgroups were created, its limits written and joined) to a file; the time
# from the INSERT to the last command executing, first without limits, then with a memory, CPU and
# tasks limit on every row (three cgroups more per start on a hybrid host, the limits written into the
# attempt's one cgroup on cgroup v2). ROUNDS rounds (default 3) of each, alternating; the medians.
# Run from the repository root after ./mvnw -DskipTests package. Usage: docs/measure-limits.sh
set -euo pipefail
JAR="${JAR:-$(pwd)/supervisor-cli/target/supervisor.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ROWS="${ROWS:-100}"
ROUNDS="${ROUNDS:-3}"
work="$(mktemp -d)"
daemon=
cleanup() {
  [ -z "$daemon" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

once() { # $1: label, $2: the payload's extra fields; prints the milliseconds from INSERT to the last start
  local H="$work/home-$1-$RANDOM" started="$work/started-$RANDOM"
  "$JAVA" -jar "$JAR" --home "$H" run > "$work/daemon.out" 2>&1 &
  daemon=$!
  until grep -q "supervising" "$work/daemon.out" 2>/dev/null; do sleep 0.2; done
  for i in $(seq "$ROWS"); do
    echo "INSERT INTO supervisor_processes (name, payload) VALUES ('n$i', '{\"argv\":[\"sh\",\"-c\",\"date +%s%N >> $started; exec sleep 100000\"]$2}');"
  done > "$work/rows.sql"
  local t0 t1
  t0="$(date +%s%N)"
  "$JAVA" -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$H/db/supervisor;AUTO_SERVER=TRUE" -script "$work/rows.sql"
  until [ -f "$started" ] && [ "$(wc -l < "$started")" -ge "$ROWS" ]; do sleep 0.1; done
  t1="$(sort -n "$started" | tail -1)"
  kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "$ROWS rows inserted at once -> every command executing; $ROUNDS rounds; load $(cut -d ' ' -f 1-3 /proc/loadavg)"
limits=',"memoryMax":"256M","cpuMax":1,"tasksMax":1000'
: > "$work/none"; : > "$work/limits"
for r in $(seq "$ROUNDS"); do
  once none "" >> "$work/none"
  once limits "$limits" >> "$work/limits"
done
echo "without limits: $(tr '\n' ' ' < "$work/none")ms, median $(median < "$work/none") ms"
echo "with memory, cpu and tasks limits: $(tr '\n' ' ' < "$work/limits")ms, median $(median < "$work/limits") ms"
grep "limits:" "$work/daemon.out" | head -1 || true
