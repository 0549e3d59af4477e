#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the code blocks of README.md and docs/*.md (issue #12); scripts/check-snippets.sh runs it.

Every ```cpp block is compiled with `g++ -std=c++20 -fsyntax-only` after a fixed prelude (PRELUDE
below: the CommandKit headers with testing.h, QTest and QSignalSpy, QtQml's registration macros,
chrono literals); with --moc, a block that declares a Q_OBJECT or Q_GADGET class is compiled together
with moc's output for it, which checks what the compiler alone does not see (Q_PROPERTY's members). Every ```qml block is parsed with qmlformat; a block without an `import` line is
first wrapped in a document (the imports of QML_IMPORTS: QtQuick, QtQuick.Controls, QtQuick.Layouts,
CommandKit; the block inside a root `Item`). The QML check is syntax only: names and types are not
resolved. Other blocks (```sh, ```cmake, untagged diagrams) are listed as not checked.

A block may be preceded (blank lines apart) by one marker, an HTML comment that Markdown does not show:

    <!-- snippet: body -->           C++ statements: compiled as the body of a function
    <!-- snippet: with-previous -->  C++ compiled after the previous C++ block of the same file
                                     (e.g. the .cpp after its .h), which brings its own markers
    <!-- snippet: skip REASON -->    not checked at all; for the rare block that cannot compile alone
    <!-- snippet: body with-previous
    struct ViewModel { ... };        lines after the first one, up to -->, are hidden C++ put before the
    extern ViewModel vm;             block at file scope: the declarations a fragment assumes
    -->

A block that a later one takes with-previous is not compiled on its own: the later compile checks it,
and a failure is reported for the blocks whose lines the compiler names. Errors are reported at the
lines of the .md file (#line directives for C++). The compiler flags (-I, -D, ...) come after `--`;
tests/CMakeLists.txt passes those of CommandKit::CommandKit, Qt6::Test and Qt6::Qml.
Exit status: 0 when every checked block passes, 1 when one fails, 2 on a usage or marker error.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

# Not <QtCore> and <QtTest> whole: they take a second or two more per block. QTest brings QString,
# QStringList, QVariant, QObject and the QVERIFY family; a snippet that needs more includes it itself.
PRELUDE = """\
#include <commandkit/commandkit.h>
#include <commandkit/testing.h>
#include <QtQml/qqmlregistration.h>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <chrono>
using namespace std::chrono_literals;
"""

QML_IMPORTS = ["QtQuick", "QtQuick.Controls", "QtQuick.Layouts", "CommandKit"]

CPP_TAGS = {"cpp", "c++"}
QML_TAGS = {"qml"}
KEYWORDS = {"body", "with-previous", "skip"}

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)\s*(?P<tag>[^\s`]*)")
MARKER = re.compile(r"^\s*<!--\s*snippet:(?P<rest>.*)$")


class MarkerError(Exception):
    pass


@dataclass
class Block:
    path: str              # as shown in the report, relative to the repository
    line: int              # 1-based line of the first code line (after the opening fence)
    tag: str
    code: list
    keywords: set = field(default_factory=set)
    skip_reason: str = ""
    hidden: list = field(default_factory=list)
    hidden_line: int = 0   # 1-based line of the first hidden line
    previous: "Block" = None
    followed: bool = False # a later block is compiled with this one, and checks it too
    source: str = ""       # the C++ of this block as compiled, without the prelude


def parse_marker(lines, start, path):
    """Reads the marker comment starting at lines[start]; returns (keywords, reason, hidden, hidden_line, end)."""
    first = MARKER.match(lines[start]).group("rest")
    closed = "-->" in first
    head = first.split("-->")[0].split()
    keywords, reason = set(), ""
    for i, word in enumerate(head):
        if word == "skip":
            keywords.add(word)
            reason = " ".join(head[i + 1:])
            break
        if word not in KEYWORDS:
            raise MarkerError(f"{path}:{start + 1}: unknown snippet marker keyword '{word}'")
        keywords.add(word)
    hidden, end = [], start
    if not closed:
        end = start + 1
        while end < len(lines) and "-->" not in lines[end]:
            hidden.append(lines[end])
            end += 1
        if end == len(lines):
            raise MarkerError(f"{path}:{start + 1}: snippet marker without its closing -->")
        if lines[end].split("-->")[0].strip():
            hidden.append(lines[end].split("-->")[0])
    return keywords, reason, hidden, start + 2, end


def extract(root, relpath):
    with open(os.path.join(root, relpath), encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, pending, i = [], None, 0
    while i < len(lines):
        line = lines[i]
        if MARKER.match(line):
            if pending:
                raise MarkerError(f"{relpath}:{pending[4] + 1}: snippet marker not followed by a code block")
            keywords, reason, hidden, hidden_line, end = parse_marker(lines, i, relpath)
            pending = (keywords, reason, hidden, hidden_line, i)
            i = end + 1
            continue
        fence = FENCE.match(line)
        if not fence:
            if line.strip() and pending:
                raise MarkerError(f"{relpath}:{pending[4] + 1}: snippet marker not followed by a code block")
            i += 1
            continue
        indent, mark, tag = len(fence.group("indent")), fence.group("fence"), fence.group("tag").lower()
        code, j = [], i + 1
        while j < len(lines) and not re.match(r"^\s*" + re.escape(mark[0]) + "{%d,}\\s*$" % len(mark), lines[j]):
            # A fence indented (in a list item) indents its code as much; take that away.
            code.append(lines[j][indent:] if not lines[j][:indent].strip() else lines[j].lstrip())
            j += 1
        block = Block(relpath, i + 2, tag, code)
        if pending:
            block.keywords, block.skip_reason, block.hidden, block.hidden_line, _ = pending
            if tag in QML_TAGS and block.keywords - {"skip"}:
                raise MarkerError(f"{relpath}:{pending[4] + 1}: a QML block takes only 'skip'")
            if tag not in CPP_TAGS | QML_TAGS:
                raise MarkerError(f"{relpath}:{pending[4] + 1}: snippet marker before a block that is not checked")
            pending = None
        blocks.append(block)
        i = j + 1
    if pending:
        raise MarkerError(f"{relpath}:{pending[4] + 1}: snippet marker not followed by a code block")

    previous_cpp = None
    for block in blocks:
        if block.tag not in CPP_TAGS:
            continue
        if "with-previous" in block.keywords:
            if previous_cpp is None or "skip" in previous_cpp.keywords:
                raise MarkerError(f"{relpath}:{block.line - 1}: 'with-previous' but no previous C++ block checked")
            block.previous = previous_cpp
            previous_cpp.followed = True
        previous_cpp = block
    return blocks


def line_directive(line, path):
    return f'#line {line} "{path}"'


def cpp_source(block, index):
    """The block's C++ (without the prelude), #line directives pointing into the .md file."""
    parts = []
    if block.previous is not None:
        parts.append(block.previous.source)
    if block.hidden:
        parts.append(line_directive(block.hidden_line, block.path))
        parts.extend(block.hidden)
    if "body" in block.keywords:
        parts.append(f"[[maybe_unused]] static void commandkit_snippet_{index}()")
        parts.append("{")
    parts.append(line_directive(block.line, block.path))
    parts.extend(block.code)
    if "body" in block.keywords:
        parts.append("}")
    block.source = "\n".join(parts) + "\n"
    return block.source


def at_md_lines(output, file, text):
    """Replaces file:LINE: in output (moc does not follow #line) by the .md line the #line directives give."""
    where, path, line = {}, None, 0
    for number, content in enumerate(text.split("\n"), start=1):
        directive = re.match(r'#line (\d+) "(.*)"$', content)
        if directive:
            line, path = int(directive.group(1)), directive.group(2)
            continue
        if path is not None:
            where[number] = f"{path}:{line}"
            line += 1
    return re.sub(re.escape(file) + r":(\d+):", lambda m: where.get(int(m.group(1)), m.group(0)[:-1]) + ":", output)


def check_cpp(source, index, tmpdir, compiler, moc, flags):
    """Compiles the block; one with Q_OBJECT or Q_GADGET goes through moc first and is compiled with
    moc's output, so that Q_PROPERTY, Q_INVOKABLE and signal declarations are checked too."""
    file = os.path.join(tmpdir, f"snippet_{index}.cpp")
    with open(file, "w", encoding="utf-8") as f:
        f.write(PRELUDE + source)
    if moc and re.search(r"\bQ_(OBJECT|GADGET)\b", source):
        generated = os.path.join(tmpdir, f"snippet_{index}.moc")
        definitions = [flag for flag in flags if flag.startswith(("-I", "-D"))]
        result = subprocess.run([moc, *definitions, file, "-o", generated],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            return False, "moc: " + at_md_lines(result.stdout, file, PRELUDE + source)
        with open(file, "a", encoding="utf-8") as f:
            f.write(f'#include "{generated}"\n')
    command = [compiler, "-std=c++20", "-fsyntax-only", "-fPIC", "-fdiagnostics-color=never", *flags, file]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode == 0, result.stdout


def lines_of(block):
    """The .md lines of a C++ block: its hidden lines, the marker and the code."""
    first = block.hidden_line if block.hidden else block.line
    return range(first - 1, block.line + len(block.code))


def attribute(chain, ok, output):
    """Results of the blocks of a with-previous chain, compiled as one: (block, ok, output) each.
    A failure counts for each block whose lines the diagnostics name, or for all when they name none."""
    if ok:
        return [(block, True, "") for block in chain]
    named = {int(line) for line in re.findall(re.escape(chain[0].path) + r":(\d+):", output)}
    guilty = [block for block in chain if named & set(lines_of(block))] or chain
    results, shown = [], False
    for block in chain:
        if block not in guilty:
            results.append((block, True, ""))
        elif shown:
            results.append((block, False, "(the compiler's output is under the block above)"))
        else:
            results.append((block, False, output))
            shown = True
    return results


def check_qml(block, index, tmpdir, qmlformat):
    complete = any(re.match(r"^\s*import\s", line) for line in block.code)
    if complete:
        header, body = [], block.code
    else:
        header = [f"import {module}" for module in QML_IMPORTS] + ["", "Item {"]
        body = ["    " + line if line.strip() else line for line in block.code] + ["}"]
    file = os.path.join(tmpdir, f"snippet_{index}.qml")
    with open(file, "w", encoding="utf-8") as f:
        f.write("\n".join(header + body) + "\n")
    result = subprocess.run([qmlformat, "--ignore-settings", file],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # qmlformat names the temporary file; point its messages at the .md lines instead.
    offset = block.line - 1 - len(header)
    message = re.sub(re.escape(file) + r":(\d+):",
                     lambda m: f"{block.path}:{int(m.group(1)) + offset}:", result.stderr)
    message = message.replace(file, f"(the block of {block.path}:{block.line - 1})")
    return result.returncode == 0, message


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the repository (default: the one holding this script)")
    parser.add_argument("--cxx", default=os.environ.get("CXX", "g++"), help="C++ compiler (default: $CXX or g++)")
    parser.add_argument("--moc", default="", help="moc of Qt 6, run on blocks with Q_OBJECT (default: none)")
    parser.add_argument("--qmlformat", default="/usr/lib/qt6/bin/qmlformat", help="qmlformat of Qt 6")
    parser.add_argument("--jobs", type=int, default=2, help="checks run at once (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    parser.add_argument("files", nargs="*", help="Markdown files relative to --root (default: README.md docs/*.md)")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args, flags = parser.parse_args(argv[:split]), argv[split + 1:]
    if not any(f.startswith("-I") for f in flags):
        parser.error("no -I flag: run it as the ctest docs_snippets (ctest --preset dev -R docs_snippets), "
                     "which passes the include directories and definitions of CommandKit::CommandKit")
    for tool in [args.cxx, args.qmlformat] + ([args.moc] if args.moc else []):
        if shutil.which(tool) is None:
            parser.error(f"{tool} not found")

    files = args.files or ["README.md"] + sorted(
        os.path.join("docs", name) for name in os.listdir(os.path.join(args.root, "docs")) if name.endswith(".md"))
    try:
        blocks = [block for path in files for block in extract(args.root, path)]
    except MarkerError as error:
        print(f"check-snippets: {error}", file=sys.stderr)
        return 2

    tmpdir = tempfile.mkdtemp(prefix="commandkit-snippets-")
    started = time.monotonic()
    jobs = {}  # the last block of each chain (most are alone), or a QML block -> future
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for index, block in enumerate(blocks):
            if "skip" in block.keywords:
                continue
            if block.tag in CPP_TAGS:
                # Made here, in order: a with-previous block starts with the source of the one before.
                source = cpp_source(block, index)
                # One compile per chain: the .cpp compiled after its .h also checks the .h.
                if not block.followed:
                    jobs[index] = pool.submit(check_cpp, source, index, tmpdir, args.cxx, args.moc, flags)
            elif block.tag in QML_TAGS:
                jobs[index] = pool.submit(check_qml, block, index, tmpdir, args.qmlformat)

    results = {}  # id(block) -> (ok, output)
    for index, future in jobs.items():
        block, (ok, output) = blocks[index], future.result()
        chain = [block]
        while chain[0].previous is not None:
            chain.insert(0, chain[0].previous)
        for member, member_ok, member_output in attribute(chain, ok, output):
            results[id(member)] = (member_ok, member_output)

    failed, counts = 0, {}
    for block in blocks:
        where = f"{block.path}:{block.line - 1}"
        kind = block.tag or "untagged"
        if id(block) not in results:
            why = f"skip: {block.skip_reason}" if "skip" in block.keywords else "not checked"
            print(f"{where}: {kind}: {why}")
            continue
        ok, output = results[id(block)]
        counts.setdefault(block.path, [0, 0])[0 if ok else 1] += 1
        print(f"{where}: {kind}: {'PASS' if ok else 'FAIL'}")
        if not ok:
            failed += 1
            print("    " + output.rstrip().replace("\n", "\n    "))
    if args.keep:
        print(f"check-snippets: generated files kept in {tmpdir}")
    else:
        shutil.rmtree(tmpdir, ignore_errors=True)

    for path in files:
        passed, fails = counts.get(path, [0, 0])
        print(f"check-snippets: {path}: {passed + fails} checked, {fails} failed")
    print(f"check-snippets: {failed} failure(s) in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
