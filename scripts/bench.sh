#!/usr/bin/env bash
# Runs the benchmarks of design.md §7 and writes the budget table and chart:
#   build/release/benchmarks.md   the table (also printed)
#   build/release/benchmarks.png  the chart of the ratios (gnuplot)
#   build/release/bench-*.json    Google Benchmark's raw output
# With --results it also writes tests/benchmarks/RESULTS.md (the table, its parts and the machine) and
# the table in README.md.
# Environment: BENCH_MIN_TIME (seconds per repetition, default 0.1), BENCH_REPETITIONS (default 5).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results=""
for arg in "$@"; do
    case "$arg" in
    --results) results="$root/tests/benchmarks/RESULTS.md" ;;
    *)
        echo "usage: scripts/bench.sh [--results]" >&2
        exit 2
        ;;
    esac
done

start=$(date +%s)
scripts/bootstrap.sh
if ! command -v gnuplot >/dev/null; then
    echo "bench: installing gnuplot-nox"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null
fi

benches=(p1_relaycommand p2_asyncrelaycommand p3_coroutines p4_threadhop p5_progress p6_memory)
cmake --preset release
# Only the benchmarks (and the library they link): the test suites are built by scripts/test.sh.
cmake --build --preset release --target "${benches[@]/#/bench_}"

out="$root/build/release"
bin="$out/tests/benchmarks"
min_time="${BENCH_MIN_TIME:-0.1}"
repetitions="${BENCH_REPETITIONS:-5}"
export QT_QPA_PLATFORM=offscreen
rm -f "$out"/bench-*.json
for name in "${benches[@]}"; do
    echo "bench: bench_$name"
    # Repetitions of the cases of one binary are interleaved at random, so a slow moment of a shared
    # machine does not land on one side of a comparison only; the report uses the medians.
    "$bin/bench_$name" \
        --benchmark_min_time="$min_time" \
        --benchmark_repetitions="$repetitions" \
        --benchmark_enable_random_interleaving=true \
        --benchmark_report_aggregates_only=true \
        --benchmark_out="$out/bench-$name.json" \
        --benchmark_out_format=json
done

report_args=(--markdown "$out/benchmarks.md" --chart "$out/benchmarks.png")
[ -n "$results" ] && report_args+=(--results "$results" --readme "$root/README.md")
echo
python3 tests/benchmarks/report.py "${report_args[@]}" "$out"/bench-*.json
echo
echo "bench: wrote $out/benchmarks.md and $out/benchmarks.png${results:+ and $results}"
echo "bench: total $(($(date +%s) - start)) s"
