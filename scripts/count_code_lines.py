#!/usr/bin/env python3
"""Counts the lines of code of C, C++ and C# files: lines that are neither blank nor only a comment
(// … or inside /* … */). Usage: count_code_lines.py [--max N] FILE...; prints each file's count and the
total, and with --max fails (exit 1) when the total is above N (issue #13: the notes viewmodel)."""
import argparse
import re
import sys


def code_lines(text):
    count = 0
    in_block = False
    for line in text.splitlines():
        rest = line
        code = False
        while rest:
            if in_block:
                end = rest.find("*/")
                if end < 0:
                    rest = ""
                    break
                rest = rest[end + 2:]
                in_block = False
                continue
            stripped = rest.strip()
            if not stripped or stripped.startswith("//"):
                break
            if stripped.startswith("/*"):
                in_block = True
                rest = stripped[2:]
                continue
            code = True
            # A block comment opened after code on this line.
            m = re.search(r"/\*(?!.*\*/)", rest)
            if m and '"' not in rest[: m.start()]:
                in_block = True
            break
        if code:
            count += 1
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max", type=int)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    total = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            n = code_lines(f.read())
        print(f"{n:5d}  {path}")
        total += n
    print(f"{total:5d}  total")
    if args.max is not None and total > args.max:
        print(f"more than {args.max} lines of code", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
