#!/usr/bin/env bash
# The README's demo command: builds the demo and runs it. With a display it opens the window;
# without one (or with --tour) it runs the scripted tour and prints progress and results.
# Arguments are passed to commandkit-demo, e.g. --tour --hash FILE --prime N --screenshot out.png
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >&2

cmake --preset dev >/dev/null
cmake --build --preset dev --target commandkit-demo >/dev/null

args=("$@")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    export QT_QPA_PLATFORM=offscreen
    case " ${args[*]-} " in
        *" --tour "*) ;;
        *) args=(--tour "${args[@]}") ;;
    esac
fi
exec build/dev/demo/commandkit-demo "${args[@]}"
