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
    # Without a session there is no runtime directory; give Qt a private one instead of a warning.
    if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
        export XDG_RUNTIME_DIR="${TMPDIR:-/tmp}/runtime-$(id -u)"
        mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
    fi
    case " ${args[*]-} " in
        *" --tour "*) ;;
        *) args=(--tour "${args[@]}") ;;
    esac
fi
exec build/dev/demo/commandkit-demo "${args[@]}"
