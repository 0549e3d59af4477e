#!/usr/bin/env bash
# The README's test command: builds and runs the whole suite in the dev and asan presets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

for preset in dev asan; do
    echo "== preset $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset"
done
