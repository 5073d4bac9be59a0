#!/usr/bin/env bash
# Times the one-shot commands (list, status, add, remove, restart), median of 5 each, with a daemon
# running on a temporary embedded home and one row in it, two ways: `java -jar supervisor.jar` and
# the launcher supervisor-cli/bin/supervisor (class-data-sharing archive, created on its first run,
# which is not timed). docs/daemon.md quotes the figures.
# Run from the repository root after ./mvnw -DskipTests package. Usage: docs/measure-cli.sh [JAR]
# (JAR: another build of supervisor.jar to time the same way, such as an older one, for a before/after).
set -euo pipefail
JAR="${1:-$(pwd)/supervisor-cli/target/supervisor.jar}"
LAUNCHER="$(pwd)/supervisor-cli/bin/supervisor"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
H="$work/home"
export XDG_CACHE_HOME="$work/cache" SUPERVISOR_JAR="$JAR"
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_ms CMD...: the median wall-clock time of 5 runs of CMD, in ms
time_ms() { for i in 1 2 3 4 5; do t=$(now); "$@" >/dev/null 2>&1 || true; echo $(( ($(now) - t) / 1000000 )); done | median; }

"$JAVA" -jar "$JAR" --home "$H" add web -- sleep 1000 >/dev/null 2>&1
"$JAVA" -jar "$JAR" --home "$H" run > "$work/daemon.out" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
until "$JAVA" -jar "$JAR" --home "$H" list 2>/dev/null | grep -q RUNNING; do sleep 0.5; done
"$LAUNCHER" --home "$H" list >/dev/null 2>&1 # creates the archive

echo "jar: $JAR; $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-10s %12s %12s\n' command "java -jar" "bin/supervisor"
for verb in list status add remove restart; do
    row=()
    for launcher in jar script; do
        if [ "$launcher" = jar ]; then run=("$JAVA" -jar "$JAR" --home "$H"); else run=("$LAUNCHER" --home "$H"); fi
        case "$verb" in
            list) ms=$(time_ms "${run[@]}" list) ;;
            status) ms=$(time_ms "${run[@]}" status web) ;;
            add) ms=$(for i in 1 2 3 4 5; do t=$(now); "${run[@]}" add "x$i" -- sleep 1000 >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); done | median) ;;
            remove) ms=$(for i in 1 2 3 4 5; do t=$(now); "${run[@]}" remove "x$i" >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); done | median) ;;
            restart) ms=$(time_ms "${run[@]}" restart web) ;;
        esac
        row+=("$ms ms")
    done
    printf '%-10s %12s %12s\n' "$verb" "${row[0]}" "${row[1]}"
done
