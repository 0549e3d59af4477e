#!/usr/bin/env bash
# D3: the demo runs without a display. The tour drives the same viewmodels as the window, prints results
# as the tools people know print them, and saves a screenshot of the real window rendered offscreen.
# Usage: tour_D3.sh <commandkit-demo>
set -euo pipefail
demo="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 3000000 /dev/urandom > "$work/input.bin"

QT_QPA_PLATFORM=offscreen "$demo" --tour --hash "$work/input.bin" --prime 2147483647 --prime 2147483649 \
    --screenshot "$work/demo.png" > "$work/out.txt"

fail() { echo "FAIL: $*"; cat "$work/out.txt"; exit 1; }
grep -qxF "$(sha256sum "$work/input.bin")" "$work/out.txt" || fail "the digest is not printed as sha256sum prints it"
grep -qx "2147483647 is prime" "$work/out.txt" || fail "2147483647 is prime"
grep -qx "2147483649 is not prime (smallest divisor 3)" "$work/out.txt" || fail "2147483649 = 3 x 715827883"
[ "$(head -c 8 "$work/demo.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "no PNG screenshot"
[ "$(stat -c %s "$work/demo.png")" -gt 20000 ] || fail "the screenshot is too small to show both panels"

if QT_QPA_PLATFORM=offscreen "$demo" --tour --hash "$work/missing" > "$work/out.txt" 2> "$work/err.txt"; then
    fail "hashing a missing file must fail"
fi
grep -q "missing" "$work/err.txt" || fail "the error names the missing file"

# Search: the same files as find, in any case and nested folders; links are not files and not followed.
mkdir -p "$work/tree/a/b/c" "$work/tree/readme-folder"
touch "$work/tree/ReadMe.txt" "$work/tree/a/readme.md" "$work/tree/a/b/c/README" "$work/tree/a/b/.x-rEaDmE" \
    "$work/tree/notes.txt" "$work/tree/readme-folder/inner.txt"
ln -s "$work/tree" "$work/tree/a/b/loop-readme"
QT_QPA_PLATFORM=offscreen "$demo" --tour --search ReadMe --folder "$work/tree" > "$work/out.txt"
find "$work/tree" -iname '*readme*' -type f | LC_ALL=C sort > "$work/expected.txt"
grep "^$work/tree/" "$work/out.txt" > "$work/found.txt" || true
diff "$work/expected.txt" "$work/found.txt" > /dev/null || fail "the search must print the files find prints, sorted"
grep -qxF "search \"ReadMe\" in $work/tree: 4 matches" "$work/out.txt" || fail "the search's summary line"
if QT_QPA_PLATFORM=offscreen "$demo" --tour --search x --folder "$work/no-such" > "$work/out.txt" 2> "$work/err.txt"; then
    fail "searching a missing folder must fail"
fi
grep -qF "Cannot search \"$work/no-such\": no such folder" "$work/err.txt" || fail "the error names the missing folder"
echo "tour_D3: 1 passed, 0 failed"
