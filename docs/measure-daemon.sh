#!/usr/bin/env bash
# Measures the daemon as docs/README-daemon.md quotes it: CLI latency, add/remove to process,
# 100 rows at once, idle footprint with 102 commands, SIGTERM with 102 commands.
# Run from the repository root after ./mvnw -DskipTests package; uses a temporary home.
set -euo pipefail
JAR="$(pwd)/supervisor-cli/target/supervisor.jar"
H="$(mktemp -d)/home"
J="java -jar $JAR --home $H"
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

$J add warm -- sleep 1000 >/dev/null
echo "list, no daemon running: $(for i in $(seq 7); do t=$(now); $J list >/dev/null; ms "$t" "$(now)"; done | median) ms (median of 7)"
$J run > "$H.daemon.out" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true' EXIT
sleep 3
echo "list, daemon running: $(for i in $(seq 7); do t=$(now); $J list >/dev/null; ms "$t" "$(now)"; done | median) ms (median of 7)"
for i in $(seq 7); do
  t0=$(now); $J add "m$i" -- sh -c 'date +%s%N; exec sleep 1000' >/dev/null; t1=$(now)
  while [ ! -s "$H/logs/m$i.log" ]; do sleep 0.01; done
  spawned=$(head -1 "$H/logs/m$i.log")
  echo "add m$i: spawned $(ms "$t1" "$spawned") ms after add returned ($(ms "$t0" "$spawned") ms after it was started)"
done
for i in $(seq 5); do
  pid=$($J list --json | grep "\"name\":\"m$i\"" | sed 's/.*"pid":\([0-9]*\).*/\1/')
  $J remove "m$i" >/dev/null; t1=$(now)
  while kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]; do sleep 0.005; done
  ms "$t1" "$(now)"
done | median | sed 's/^/remove: process gone /; s/$/ ms after remove returned (median of 5)/'
for i in $(seq 100); do echo "INSERT INTO supervisor_processes (name, payload) VALUES ('n$i', '{\"argv\":[\"sleep\",\"1000\"]}');"; done > "$H.sql"
java -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$H/db/supervisor;AUTO_SERVER=TRUE;WRITE_DELAY=0" -script "$H.sql"
t=$(now)
while [ "$($J list --json | grep -c '"state":"RUNNING"')" -lt 102 ]; do sleep 0.2; done
echo "100 rows inserted at once: all RUNNING in list after $(ms "$t" "$(now)") ms"
sleep 5
c0=$(awk '{print $14+$15}' "/proc/$daemon/stat"); sleep 30; c1=$(awk '{print $14+$15}' "/proc/$daemon/stat")
echo "daemon with 102 commands: RSS $(awk '/VmRSS/{print $2}' "/proc/$daemon/status") KB," \
     "$(awk '/Threads/{print $2}' "/proc/$daemon/status") threads, CPU $(( (c1 - c0) * 10 )) ms in 30 s"
pids=$($J list --json | grep -o '"pid":[0-9]*' | cut -d: -f2)
t=$(now); kill -TERM "$daemon"; wait "$daemon" && rc=0 || rc=$?
left=0; for pid in $pids; do kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ] && left=$((left + 1)); done
echo "SIGTERM: daemon exited $rc after $(ms "$t" "$(now)") ms; of its $(echo "$pids" | wc -w) processes, $left left"
