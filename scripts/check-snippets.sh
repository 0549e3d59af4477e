#!/usr/bin/env bash
# Compiles every ```cpp block and parses every ```qml block of README.md and docs/*.md, so a snippet of
# the documentation cannot go wrong unnoticed (issue #12). The rules, and the markers a block may carry
# (<!-- snippet: body -->, with-previous, skip), are at the top of scripts/check_snippets.py.
#
# The dev preset's ctest runs it as the test docs_snippets, passing the compiler flags of
# CommandKit::CommandKit, Qt6::Test and Qt6::Qml after "--". Without flags (by hand), it runs that test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
    [ -f build/dev/CTestTestfile.cmake ] || cmake --preset dev >/dev/null
    exec ctest --test-dir build/dev -R '^docs_snippets$' --verbose
fi
exec python3 scripts/check_snippets.py "$@"
