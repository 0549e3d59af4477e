#!/usr/bin/env bash
# design.md §8: the demo tour is clean under valgrind memcheck: no invalid access, no use of
# uninitialised memory, no memory lost for good (Qt's own leaks are suppressed in valgrind.supp).
# Usage: tour_memcheck.sh <commandkit-demo> <valgrind.supp>
set -euo pipefail
demo="$1"
suppressions="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 300000 /dev/urandom > "$work/input.bin"
mkdir -p "$work/tree/a"
touch "$work/tree/ReadMe.txt" "$work/tree/a/readme.md" "$work/tree/notes.txt"

if ! QT_QPA_PLATFORM=offscreen valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --suppressions="$suppressions" -q \
    "$demo" --tour --hash "$work/input.bin" --prime 2147483647 --search readme --folder "$work/tree" \
    --screenshot "$work/demo.png" > "$work/out.txt" 2> "$work/err.txt"; then
    cat "$work/err.txt"
    echo "tour_memcheck: 0 passed, 1 failed"
    exit 1
fi
grep -qx "2147483647 is prime" "$work/out.txt" || { cat "$work/out.txt"; echo "FAIL: the tour did not run"; exit 1; }
echo "tour_memcheck: 1 passed, 0 failed"
