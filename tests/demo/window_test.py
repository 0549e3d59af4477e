#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The demo's real window under Xvfb (issue #14), driven by mouse and keys with xdotool.

Usage: window_test.py <commandkit-demo> <output folder>

The demo runs at 1400x800 in the Fusion style with COMMANDKIT_DEMO_STATE set: after every frame that
changed what it shows it prints one JSON line on stdout (demo/windowstate.h): the visible named items
with their texts, geometry, opacity and progress, the focused item, and the texts that do not fit.
Every check waits for a state with a timeout; nothing sleeps to synchronise. Screenshots of the key
moments (taken from the X server with ImageMagick's import) and window.log go to the output folder.
"""

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

DEMO, OUT = sys.argv[1], sys.argv[2]
LONG_PRIME = "9223372036854775783"  # the largest prime below 2^63: seconds of trial division
LATENCY_BUDGET_MS = 200

os.makedirs(OUT, exist_ok=True)
for old in os.listdir(OUT):
    if old.endswith(".png") or old.endswith(".log"):
        os.remove(os.path.join(OUT, old))
log_file = open(os.path.join(OUT, "window.log"), "w")
START = time.monotonic()


def log(message):
    line = f"[{time.monotonic() - START:6.2f}s] {message}"
    print(line, flush=True)
    log_file.write(line + "\n")
    log_file.flush()


class Failure(Exception):
    pass


for tool in ("Xvfb", "xdotool", "import"):
    if not shutil.which(tool):
        sys.exit(f"FAIL: {tool} is missing; scripts/bootstrap.sh installs it")


# --- the state the demo prints -------------------------------------------------------------------------

def nodes(tree, name):
    """Every visible item named `name` in `tree` (a state or an item), in the order of the item tree."""
    found = []
    for item in tree.get("items", []):
        if item["name"] == name:
            found.append(item)
        found.extend(nodes(item, name))
    return found


def node(tree, *path):
    """The first item along the path of names, e.g. node(state, "hashPanel", "status"); None if hidden."""
    for name in path:
        matches = nodes(tree, name)
        if not matches:
            return None
        tree = matches[0]
    return tree


def text(tree, *path):
    item = node(tree, *path)
    return item.get("text") if item else None


def rows(state):
    return sorted(nodes(node(state, "primesPanel"), "checkRow"), key=lambda row: row["y"])


def row_status(row):
    """What a row of Primes says it does: "checking 42%" (its bar and percentage), or its status."""
    if node(row, "bar"):
        return f"checking {text(row, 'percent')}"
    return text(row, "status")


class Demo:
    def __init__(self, env, stderr_path):
        self.states = []
        self.ended = False
        self.condition = threading.Condition()
        self.stderr = open(stderr_path, "w")
        # At most two CPUs, whatever the machine: CommandKit's pool is sized to them (idealThreadCount
        # reads the affinity), so "one check more than the pool has threads" fits in the list.
        cpus = sorted(os.sched_getaffinity(0))[:2]
        self.process = subprocess.Popen([DEMO], stdout=subprocess.PIPE, stderr=self.stderr, env=env,
                                        preexec_fn=lambda: os.sched_setaffinity(0, cpus))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            state = json.loads(line)
            with self.condition:
                self.states.append(state)
                self.condition.notify_all()
        with self.condition:
            self.ended = True
            self.condition.notify_all()

    def mark(self):
        """Where the states after an action start: wait(since=mark) looks at them and the current one."""
        with self.condition:
            return max(0, len(self.states) - 1)

    def latest(self):
        with self.condition:
            return self.states[-1]

    def wait(self, what, predicate, timeout=10.0, since=None):
        """The first state from `since` (default: the current one) for which `predicate` is true."""
        deadline = time.monotonic() + timeout
        with self.condition:
            index = max(0, len(self.states) - 1) if since is None else since
            while True:
                while index < len(self.states):
                    state = self.states[index]
                    index += 1
                    try:
                        if predicate(state):
                            return state
                    except (KeyError, IndexError, TypeError, AttributeError):
                        pass
                left = deadline - time.monotonic()
                if left <= 0 or self.ended:
                    break
                self.condition.wait(left)
        screenshot("failed-" + "".join(c if c.isalnum() else "-" for c in what)[:40])
        last = json.dumps(self.states[-1]) if self.states else "no state"
        raise Failure(f"timed out waiting for: {what}\nlast state: {last}")


# --- X: the display, the mouse, the keys, screenshots ---------------------------------------------------

def start_xvfb():
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1400x800x24",
                             "-nolisten", "tcp"], pass_fds=(write_end,), stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as displayfd:
        number = displayfd.readline().strip()  # Xvfb writes it once it accepts clients
    if not number:
        sys.exit("FAIL: Xvfb did not start")
    return xvfb, f":{number}"


xvfb, DISPLAY = start_xvfb()
X_ENV = dict(os.environ, DISPLAY=DISPLAY)
window_id = None
shot_count = 0


def xdotool(*args):
    subprocess.run(["xdotool", *args], env=X_ENV, check=True)


def screenshot(name):
    global shot_count
    if window_id is None:
        return
    shot_count += 1
    path = os.path.join(OUT, f"{shot_count:02d}-{name}.png")
    subprocess.run(["import", "-window", window_id, path], env=X_ENV, check=False)
    log(f"screenshot {path}")


last_click = None


def click(item):
    """A single click in the middle of the item; a little aside when the previous click was at the same
    place, so that two quick clicks on a field never count as a double click (which selects a word)."""
    global last_click
    x, y = int(item["x"] + item["w"] / 2), int(item["y"] + item["h"] / 2)
    if (x, y) == last_click:
        x += min(20, int(item["w"] / 4))
    last_click = (x, y)
    xdotool("mousemove", "--window", window_id, str(x), str(y), "click", "1")


def key(*keys):
    xdotool("key", "--clearmodifiers", *keys)


def type_text(value):
    xdotool("type", "--delay", "20", "--", value)


def focus_field(demo, *item_path):
    """Clicks the field and waits until it has the focus."""
    before = demo.mark()
    click(node(demo.latest(), *item_path))
    demo.wait(f"focus in {item_path[-1]}", lambda s: s["focus"] == item_path[-1], since=before)


def replace_text(demo, item_path, value, what):
    """Clicks the field, selects its text and types `value`; waits until the field shows it."""
    focus_field(demo, *item_path)
    key("ctrl+a")
    type_text(value)
    return demo.wait(what, lambda s: text(s, *item_path) == value)


class XTestKeys:
    """Key presses sent straight through the XTEST extension (libXtst, which xdotool itself uses), for
    the timed keys: starting an xdotool process takes tens of milliseconds on a busy machine, which is
    no part of how long the window takes to show a key."""

    def __init__(self, display):
        x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XStringToKeysym.restype = ctypes.c_ulong
        x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x11.XFlush.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.x11 = x11
        self.display = x11.XOpenDisplay(display.encode())
        if not self.display:
            raise Failure(f"cannot open {display} for XTEST")

    def key(self, name):
        """Presses and releases the key `name` (a keysym such as "m"); returns the time of the press in
        ms since the epoch."""
        code = self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(name.encode()))
        pressed = time.time() * 1000
        self.xtst.XTestFakeKeyEvent(self.display, code, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.display, code, 0, 0)
        self.x11.XFlush(self.display)
        return pressed


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the test --------------------------------------------------------------------------------------------

def run(demo, work):
    global window_id
    state = demo.wait("the first frame", lambda s: s["width"] == 1400 and s["height"] == 800)
    window_id = subprocess.run(["xdotool", "search", "--sync", "--name", "^CommandKit demo$"], env=X_ENV,
                               check=True, capture_output=True, text=True).stdout.split()[0]
    xdotool("windowfocus", window_id)
    pool = state["poolThreads"]
    log(f"window {window_id} on {DISPLAY}, 1400x800, CommandKit's pool has {pool} threads")
    checks_done = 0

    # Tab visits only visible controls that show focus, each once per round: no invisible tab stop.
    click(node(state, "number"))
    demo.wait("focus in the number field", lambda s: s["focus"] == "number")
    stops = ["number"]
    for _ in range(7):
        before = demo.mark()
        key("Tab")
        stops.append(demo.wait("focus moves on Tab", lambda s: s["focus"] != stops[-1], since=before)["focus"])
    expected_stops = {"number", "check", "path", "hash", "folder", "name"}
    if not set(stops) <= expected_stops or "" in stops:
        raise Failure(f"Tab stops {stops}, expected only {sorted(expected_stops)}")
    log(f"Tab stops: {stops}")

    # Input validation: Check is disabled for text that is not a number from 2 to 2^63 - 1.
    for bad, message in (("abc", '"abc" is not a whole number'), ("", "enter a whole number"),
                         ("-7", '"-7" is not a whole number')):
        focus_field(demo, "primesPanel", "number")
        key("ctrl+a", "BackSpace")
        if bad:
            type_text(bad)
        demo.wait(f"Check disabled for '{bad}'",
                  lambda s: not node(s, "check")["enabled"] and text(s, "numberHint").startswith(message))
    screenshot("invalid-number")
    if rows(demo.latest()):
        raise Failure("invalid input added a row")

    # A long prime check, then its cancel.
    state = replace_text(demo, ("primesPanel", "number"), LONG_PRIME, "the long prime typed")
    click(node(state, "check"))
    state = demo.wait("the long check runs with progress",
                      lambda s: len(rows(s)) == 1 and row_status(rows(s)[0]).startswith("checking")
                      and node(rows(s)[0], "bar")["value"] > 0)
    first_row_y = rows(state)[0]["y"]
    screenshot("prime-running")
    click(node(rows(state)[0], "cancel"))
    state = demo.wait("the check canceled, without its bar",
                      lambda s: row_status(rows(s)[0]) == "canceled" and node(rows(s)[0], "cancel") is None
                      and text(rows(s)[0], "result").startswith("canceled at "))
    checks_done += 1
    if rows(state)[0]["y"] != first_row_y:
        raise Failure("the row moved when it ended")
    screenshot("prime-canceled")

    # A quick check started with Enter in the field; the plural of the count.
    state = replace_text(demo, ("primesPanel", "number"), "2147483649", "2147483649 typed")
    key("Return")
    demo.wait("2147483649 = 3 x 715827883",
              lambda s: text(rows(s)[1], "result") == "is not prime (smallest divisor 3)"
              and text(s, "checkCount") == "2 checks")
    checks_done += 1

    # A generated file hashed, against sha256sum; the same file again adds no second Recent line.
    data = os.path.join(work, "input.bin")
    with open(data, "wb") as f:
        f.write(os.urandom(48 << 20))
    digest = subprocess.run(["sha256sum", data], check=True, capture_output=True, text=True).stdout.split()[0]
    replace_text(demo, ("hashPanel", "path"), data, "the file's path typed")
    for _ in range(2):
        before = demo.mark()
        click(node(demo.latest(), "hashPanel", "hash"))
        demo.wait("the hash runs", lambda s: not node(s, "hashPanel", "hash")["enabled"], since=before)
        demo.wait("the hash is done", lambda s: text(s, "hashPanel", "status") == "done"
                  and text(s, "hashPanel", "digest") == digest, timeout=30)
    state = demo.wait("one Recent line", lambda s: len(nodes(s, "historyLine")) == 1)
    if text(state, "historyLine") != f"{digest}  {data}":
        raise Failure(f"Recent line {text(state, 'historyLine')!r}")
    screenshot("hash-done")

    # /dev/zero: no size, an indeterminate bar, bytes read growing; Escape cancels it. Hash and Cancel
    # keep their places while it runs.
    buttons = lambda s: [(node(s, "hashPanel", n)["x"], node(s, "hashPanel", n)["w"]) for n in ("hash", "cancel")]
    buttons_before = buttons(state)
    state = replace_text(demo, ("hashPanel", "path"), "/dev/zero", "/dev/zero typed")
    key("Return")
    state = demo.wait("/dev/zero hashing with an indeterminate bar",
                      lambda s: node(s, "hashPanel", "bar")["indeterminate"]
                      and "MiB, size unknown" in text(s, "hashPanel", "read")
                      and node(s, "hashPanel", "cancel")["enabled"])
    if buttons(state) != buttons_before:
        raise Failure("the Hash and Cancel buttons moved or resized while hashing")
    screenshot("hash-dev-zero")
    key("Escape")
    demo.wait("Escape cancels the hash", lambda s: text(s, "hashPanel", "status") == "canceled"
              and not node(s, "hashPanel", "bar")["indeterminate"])

    # A missing file: a clear error, and no "Unhandled error" on stderr (checked at the end).
    missing = os.path.join(work, "missing.bin")
    replace_text(demo, ("hashPanel", "path"), missing, "the missing path typed")
    key("Return")
    demo.wait("the error names the file", lambda s: text(s, "hashPanel", "error")
              == f'Cannot open "{missing}": No such file or directory')

    # Search: the folder is validated, the name typed letter by letter.
    tree = os.path.join(work, "tree")
    for folder in ("a/b/c", "readme-folder"):
        os.makedirs(os.path.join(tree, folder))
    for name in ("ReadMe.txt", "a/readme.md", "a/b/c/README", "a/b/.x-rEaDmE", "notes.txt",
                 "readme-folder/inner.txt"):
        open(os.path.join(tree, name), "w").close()
    for folder, message in (("/etc/passwd", 'Cannot search "/etc/passwd": it is a file, not a folder'),
                            ("", "enter a folder"), (tree, None)):
        focus_field(demo, "searchPanel", "folder")
        key("ctrl+a", "BackSpace")
        if folder:
            type_text(folder)
        key("Tab")
        demo.wait(f"the folder error for '{folder}'", lambda s: text(s, "folderError") == message)
        if folder == "":
            screenshot("search-enter-a-folder")
    focus_field(demo, "searchPanel", "name")
    typed = ""
    for letter in "read":
        typed += letter
        key(letter)
        demo.wait(f"'{typed}' shown", lambda s: text(s, "searchPanel", "name") == typed)
    expected = sorted(subprocess.run(["find", tree, "-iname", "*read*", "-type", "f"], check=True,
                                     capture_output=True, text=True).stdout.split())
    state = demo.wait("the search's results", lambda s: text(s, "found") == "4 files"
                      and node(s, "results")["opacity"] == 1
                      and sorted(n["text"] for n in nodes(s, "resultLine")) == expected)
    screenshot("search-results")

    # The pool saturated: one check more than the pool has threads; the last one waits.
    state = replace_text(demo, ("primesPanel", "number"), LONG_PRIME, "the long prime typed again")
    for _ in range(pool + 1):
        click(node(demo.latest(), "check"))
    running = lambda s: [row_status(r) for r in rows(s)[checks_done:]]
    state = demo.wait("all threads busy, one check waiting",
                      lambda s: len(running(s)) == pool + 1
                      and sum(t.startswith("checking") for t in running(s)) == pool
                      and running(s)[-1] == "waiting"
                      and text(rows(s)[-1], "result") == "waiting for a free thread of the pool")
    row_ys = [row["y"] for row in rows(state)]
    screenshot("pool-saturated")

    # Responsiveness: each letter typed appears within the budget while the pool is saturated. The
    # time runs from the key press (XTEST) to the end of the frame that shows the letter.
    focus_field(demo, "searchPanel", "name")
    key("End")
    xtest = XTestKeys(DISPLAY)
    name_width = node(demo.latest(), "searchPanel", "name")["w"]
    latencies = []
    for letter in "mexy":
        typed += letter
        before = demo.mark()
        sent = xtest.key(letter)
        shown = demo.wait(f"'{typed}' shown", lambda s: text(s, "searchPanel", "name") == typed, since=before)
        latencies.append(shown["t"] - sent)
    log(f"typed text appeared after {', '.join(f'{ms:.0f} ms' for ms in latencies)} (budget {LATENCY_BUDGET_MS})")
    if max(latencies) > LATENCY_BUDGET_MS:
        raise Failure(f"typing lagged {max(latencies):.0f} ms while the pool was saturated")
    # The new search waits for a thread; the older results stay, dimmed.
    state = demo.wait("the search waits, older results dimmed",
                      lambda s: text(s, "searchPanel", "status") == "waiting for a free thread"
                      and node(s, "results")["opacity"] < 0.5 and node(s, "found")["opacity"] < 0.5
                      and node(s, "searchPanel", "search")["shown"] == "Cancel")
    if node(state, "searchPanel", "name")["w"] != name_width:
        raise Failure("the Name field changed its width when Search turned into Cancel")
    screenshot("typing-while-saturated")

    # Escape cancels the focused panel's work: the search here, then every check in Primes.
    key("Escape")
    demo.wait("the search canceled", lambda s: text(s, "searchPanel", "status") in
              ("canceling\u2026", "canceled after 0 entries"))
    click(node(demo.latest(), "primesPanel", "number"))
    key("Escape")
    state = demo.wait("Escape cancels every check, the search ends canceled",
                      lambda s: all(t == "canceled" for t in running(s))
                      and text(s, "searchPanel", "status") == "canceled after 0 entries"
                      and node(s, "results")["opacity"] < 0.5)
    if [row["y"] for row in rows(state)] != row_ys:
        raise Failure("rows moved when the checks ended")
    screenshot("escape-canceled")

    # 900 px wide: nothing cut off; only paths and the header's subtitle may end in an ellipsis.
    xdotool("windowsize", window_id, "900", "800")
    state = demo.wait("900 px wide", lambda s: s["width"] == 900)
    state = demo.wait("the layout settled", lambda s: True, since=demo.mark())
    allowed = {"subtitle", "input", "path", "historyLine", "resultLine"}
    elided = [e for e in state["elided"] if e["around"] not in allowed]
    screenshot("900px")
    if state["clipped"] or elided:
        raise Failure(f"at 900 px: clipped {state['clipped']}, elided {elided}")
    xdotool("windowsize", window_id, "1400", "800")
    demo.wait("1400 px wide again", lambda s: s["width"] == 1400)


    # Enter presses the focused button: Tab from the Check button to Remove finished.
    click(node(state, "primesPanel", "number"))
    key("Tab")
    demo.wait("Check focused", lambda s: s["focus"] == "check")
    key("Tab")
    demo.wait("Remove finished focused", lambda s: s["focus"] == "removeFinished")
    key("Return")
    demo.wait("Enter removed the finished rows", lambda s: not rows(s) and text(s, "checkCount") == "0 checks")

    # Space presses the focused button too (Qt's own): Tab from the number to Check.
    replace_text(demo, ("primesPanel", "number"), "97", "97 typed")
    key("Tab")
    demo.wait("Check focused", lambda s: s["focus"] == "check")
    key("space")
    demo.wait("Space started a check", lambda s: len(rows(s)) == 1 and text(rows(s)[0], "result") == "is prime"
              and text(s, "checkCount") == "1 check")

    # Clearing Name clears what the last search found.
    click(node(demo.latest(), "searchPanel", "name"))
    key("ctrl+a", "BackSpace")
    demo.wait("cleared", lambda s: text(s, "found") == "\u2013" and not nodes(s, "resultLine"))

    # An idle window does not draw: no animation is left running.
    start = cpu_seconds(demo.process.pid)
    started = time.monotonic()
    with demo.condition:
        demo.condition.wait_for(lambda: demo.ended, timeout=1.0)  # a measurement window, not a sync
    load = (cpu_seconds(demo.process.pid) - start) / (time.monotonic() - started)
    log(f"idle window: {load * 100:.1f}% of a core")
    if load > 0.10:
        raise Failure(f"the idle window uses {load * 100:.0f}% of a core")


def main():
    global window_id
    work = tempfile.mkdtemp(prefix="commandkit-window-")
    env = dict(X_ENV, QT_QPA_PLATFORM="xcb", QT_QUICK_CONTROLS_STYLE="Fusion", QT_QUICK_BACKEND="software",
               COMMANDKIT_DEMO_STATE="1", XDG_RUNTIME_DIR=work)
    stderr_path = os.path.join(OUT, "demo-stderr.log")
    demo = Demo(env, stderr_path)
    ok = False
    try:
        run(demo, work)
        ok = True
    except (Failure, subprocess.CalledProcessError) as failure:
        log(f"FAIL: {failure}")
    finally:
        demo.process.terminate()
        demo.process.wait(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    with open(stderr_path) as f:
        stderr = f.read()
    for bad in ("Unhandled error", "TypeError", "ReferenceError", "Binding loop"):
        if bad in stderr:
            log(f"FAIL: the demo printed {bad!r} on stderr:\n{stderr}")
            ok = False
    log(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - START:.1f} s; screenshots in {OUT}")
    sys.exit(0 if ok else 1)


main()
