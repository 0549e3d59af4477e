#!/usr/bin/env bash
# Builds the API reference of the public headers with Doxygen (docs/Doxyfile) into build/docs/html
# and fails when Doxygen warns, e.g. about a public member without documentation (issue #12).
# The dev preset's ctest runs it as the test docs_reference.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

mkdir -p build/docs
log=build/docs/warnings.log
rm -f "$log"
doxygen docs/Doxyfile

if [ -s "$log" ]; then
    cat "$log" >&2
    echo "docs: $(grep -c 'warning:' "$log" || true) Doxygen warning(s), see $log" >&2
    exit 1
fi
echo "docs: no warnings; the reference is build/docs/html/index.html"
