#!/usr/bin/env bash
# The README's test command: builds and runs the whole suite in the dev (g++), clang (clang++-16)
# and asan presets, and the core's and commands' thread tests in the tsan preset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

for preset in dev clang asan tsan; do
    echo "== preset $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset"
done
