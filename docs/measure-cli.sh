#!/usr/bin/env bash
# Times the one-shot commands (list, status, add, remove, restart), median of 5 each, with a daemon
# running on a temporary embedded home and one row in it, two ways: `java -jar supervisor.jar` and
# the launcher supervisor-cli/bin/supervisor (its ahead-of-time cache or class-data-sharing archive
# created first, not timed). Each figure is the median wall-clock time and, in parentheses, the
# median CPU time (user + system, which a busy machine inflates less). docs/daemon.md quotes them.
# Run from the repository root after ./mvnw -DskipTests package. Usage: docs/measure-cli.sh [JAR]
# (JAR: another build of supervisor.jar to time the same way, such as an older one, for a before/after).
set -euo pipefail
JAR="${1:-$(pwd)/supervisor-cli/target/supervisor.jar}"
LAUNCHER="$(pwd)/supervisor-cli/bin/supervisor"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
H="$work/home"
export XDG_CACHE_HOME="$work/cache" SUPERVISOR_JAR="$JAR"
TIMEFORMAT='%3R %3U %3S'
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# one CMD...: "WALL_MS CPU_MS" of one run of CMD
one() { { time "$@" >/dev/null 2>&1 || true; } 2>&1 | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}'; }
# five: "WALL (CPU) ms", the medians of the five lines "WALL_MS CPU_MS" read
five() { tee "$work/runs" >/dev/null; echo "$(cut -d ' ' -f 1 "$work/runs" | median) ($(cut -d ' ' -f 2 "$work/runs" | median)) ms"; }

"$JAVA" -jar "$JAR" --home "$H" add web -- sleep 1000 >/dev/null 2>&1
"$JAVA" -jar "$JAR" --home "$H" run > "$work/daemon.out" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
until "$JAVA" -jar "$JAR" --home "$H" list 2>/dev/null | grep -q RUNNING; do sleep 0.5; done
"$LAUNCHER" --home "$H" list >/dev/null 2>&1 # then the cache is created in the background
for i in $(seq 120); do
    if find "$XDG_CACHE_HOME/supervisor" \( -name '*.aot' -o -name '*.jsa' \) | grep -q . \
        && ! find "$XDG_CACHE_HOME/supervisor" -name '*.lock' | grep -q .; then
        break
    fi
    sleep 1
done

echo "jar: $JAR; $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-10s %20s %20s\n' command "java -jar" "bin/supervisor"
for verb in list status add remove restart; do
    row=()
    for launcher in jar script; do
        if [ "$launcher" = jar ]; then run=("$JAVA" -jar "$JAR" --home "$H"); else run=("$LAUNCHER" --home "$H"); fi
        case "$verb" in
            list) ms=$(for i in 1 2 3 4 5; do one "${run[@]}" list; done | five) ;;
            status) ms=$(for i in 1 2 3 4 5; do one "${run[@]}" status web; done | five) ;;
            add) ms=$(for i in 1 2 3 4 5; do one "${run[@]}" add "x$i" -- sleep 1000; done | five) ;;
            remove) ms=$(for i in 1 2 3 4 5; do one "${run[@]}" remove "x$i"; done | five) ;;
            restart) ms=$(for i in 1 2 3 4 5; do one "${run[@]}" restart web; done | five) ;;
        esac
        row+=("$ms")
    done
    printf '%-10s %20s %20s\n' "$verb" "${row[0]}" "${row[1]}"
done
