#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns the JSON output of the benchmark executables into the performance-budget table of design.md §7.

Usage: report.py [--markdown OUT.md] [--chart OUT.png] [--results RESULTS.md] bench-*.json

Writes ONE Markdown table (stdout and --markdown): each budget point P1-P6, CommandKit's figure, each
peer's figure measured in the same run, the ratio and whether the budget holds; and, with gnuplot, a
PNG chart of the ratios (--chart). --results also writes the table with a description of the machine.
Every figure comes from the JSON files; only the budgets (design.md §7) are written here.
Standard library only.
"""

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Results:
    """Benchmarks by name; with repetitions, the median aggregate."""

    def __init__(self, paths):
        self.runs = {}
        self.context = {}
        for path in paths:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            if not self.context:
                self.context = data.get("context", {})
            singles = {}
            for run in data.get("benchmarks", []):
                name = run.get("run_name", run["name"]).split("/")[0]
                if run.get("error_occurred"):
                    self.runs[name] = {"error": run.get("error_message", "error")}
                    continue
                if run.get("run_type") == "aggregate":
                    if run.get("aggregate_name") == "median":
                        self.runs[name] = run
                else:
                    singles.setdefault(name, run)
            for name, run in singles.items():
                self.runs.setdefault(name, run)

    def value(self, name, metric):
        run = self.runs.get(name)
        if run is None or "error" in run:
            return None
        if metric in ("cpu_time", "real_time"):
            return run[metric] * NS_PER_UNIT[run.get("time_unit", "ns")]
        return run.get(metric)

    def error(self, name):
        run = self.runs.get(name)
        if run is None:
            return "not run"
        return run.get("error")


def fmt_time(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    if abs(b) >= 1024 * 1024:
        return f"{b / 1048576:.2f} MiB"
    if abs(b) >= 1024:
        return f"{b / 1024:.1f} KiB"
    return f"{b:.0f} B"


def fmt_count(n):
    if n is None:
        return "n/a"
    return f"{n:.0f}" if abs(n - round(n)) < 0.05 else f"{n:.2f}"


def fmt_ratio(r):
    if r is None:
        return "—"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


# Each row: what is measured, CommandKit's case, its peers (the first is the reference of the ratio
# and of a relative budget), and the budget: ("ratio", limit) = ours/reference <= limit,
# ("max", limit) = ours <= limit.
ROWS = [
    {
        "point": "P1", "what": "one call (CPU time)", "metric": "cpu_time", "fmt": fmt_time,
        "ours": ("RelayCommand::execute()", "P1_RelayCommandExecute"),
        "peers": [("QAction::trigger(), 1 slot", "P1_QActionTrigger"),
                  ("std::function call (floor)", "P1_StdFunction")],
        "budget": ("ratio", 1.0), "chart": "P1 execute / QAction::trigger",
    },
    {
        "point": "P2", "what": "one run, not suspending, all notifications (CPU time)", "metric": "cpu_time",
        "fmt": fmt_time,
        "ours": ("AsyncRelayCommand run", "P2_AsyncRelayCommandRun"),
        "peers": [("QAction::trigger(), 1 slot", "P2_QActionTrigger"),
                  ("by hand: QProperty busy flag + QCoro::Task", "P2_HandWrittenBusyFlag"),
                  ("by hand, with a QObject per run", "P2_HandWrittenBusyFlagAndRunObject")],
        "budget": ("ratio", 5.0), "chart": "P2 run / QAction::trigger",
    },
    {
        "point": "P2", "what": "heap allocations per run (operator new; malloc calls in brackets)",
        "metric": "allocs_per_run", "extra": ("mallocs_per_run", fmt_count), "fmt": fmt_count,
        "ours": ("AsyncRelayCommand run", "P2_AsyncRelayCommandRun"),
        "peers": [("QAction::trigger(), 1 slot", "P2_QActionTrigger"),
                  ("by hand: QProperty busy flag + QCoro::Task", "P2_HandWrittenBusyFlag"),
                  ("by hand, with a QObject per run", "P2_HandWrittenBusyFlagAndRunObject")],
        "budget": ("max", 3), "budget_text": "≤ 3", "chart": "P2 allocations / 3",
    },
    {
        "point": "P2", "what": "one run, executionTask read in a slot as a view does (CPU time)",
        "metric": "cpu_time", "fmt": fmt_time,
        "ours": ("AsyncRelayCommand run, task read", "P2_AsyncRelayCommandRunTaskRead"),
        "peers": [("QAction::trigger(), 1 slot", "P2_QActionTrigger"),
                  ("by hand, with a QObject per run", "P2_HandWrittenBusyFlagAndRunObject")],
        "budget": ("ratio", 5.0), "chart": "P2 run, task read / QAction::trigger",
    },
    {
        "point": "P2", "what": "heap allocations per run, executionTask read (operator new; malloc calls)",
        "metric": "allocs_per_run", "extra": ("mallocs_per_run", fmt_count), "fmt": fmt_count,
        "ours": ("AsyncRelayCommand run, task read", "P2_AsyncRelayCommandRunTaskRead"),
        "peers": [("by hand, with a QObject per run", "P2_HandWrittenBusyFlagAndRunObject")],
        "budget": ("max", 3), "budget_text": "≤ 3", "chart": "P2 allocations, task read / 3",
    },
    {
        "point": "P3", "what": "coroutine returning at once, awaited by another (CPU time; allocations)",
        "metric": "cpu_time", "extra": ("allocs_per_pair", lambda n: fmt_count(n) + " allocs"), "fmt": fmt_time,
        "ours": ("AsyncOperation<int> pair", "P3_AsyncOperationPair"),
        "peers": [("QCoro::Task<int> pair", "P3_QCoroTaskPair")],
        "budget": ("ratio", 1.0), "chart": "P3 AsyncOperation / QCoro::Task",
    },
    {
        "point": "P4", "what": "hop to the pool and back, end seen on the main thread (wall time)",
        "metric": "real_time", "fmt": fmt_time,
        "ours": ("AsyncRelayCommand + resumeBackground()", "P4_AsyncRelayCommandResumeBackground"),
        "peers": [("QtConcurrent::run + QFutureWatcher", "P4_QtConcurrentRunWatcher"),
                  ("QPromise + QFuture::then(context)", "P4_QPromiseThenContext"),
                  ("QThreadPool::start + invokeMethod back (floor)", "P4_FloorPoolAndPostBack")],
        "budget": ("ratio", 0.5), "chart": "P4 hop / QtConcurrent+QFutureWatcher",
    },
    {
        "point": "P5", "what": "one progress report from a worker in a tight loop (wall time of the loop)",
        "metric": "ns_per_report", "fmt": fmt_time,
        "extra": ("deliveries_per_1000_reports", lambda n: f"{n:.2f} deliveries/1000"),
        "ours": ("ProgressToken, setProgress(context)", "P5_AsyncOperationProgressContext"),
        "peers": [("QPromise::setProgressValue + QFutureWatcher", "P5_QPromiseProgressWatcher")],
        "budget": ("max", 25.0), "budget_text": "≤ 25 ns", "chart": "P5 ns per report / 25 ns",
    },
    {
        "point": "P5", "what": "most deliveries pending on the GUI thread at once", "metric": "max_pending",
        "fmt": fmt_count,
        "ours": ("ProgressToken, setProgress(context)", "P5_AsyncOperationProgressContext"),
        "peers": [("QPromise::setProgressValue + QFutureWatcher", "P5_QPromiseProgressWatcher")],
        "budget": ("max", 1), "budget_text": "≤ 1", "chart": "P5 pending / 1",
    },
    {
        "point": "P6", "what": "heap per command, 10,000 made (operator new; malloc level in brackets)",
        "metric": "new_bytes_per_object", "extra": ("malloc_bytes_per_object", fmt_bytes), "fmt": fmt_bytes,
        "ours": ("RelayCommand", "P6_RelayCommands"),
        "peers": [("QAction + 1 connection", "P6_QActions")],
        "budget": ("ratio", 1.0), "chart": "P6 RelayCommand heap / QAction",
    },
    {
        "point": "P6", "what": "resident memory per command, 10,000 made (RSS delta)",
        "metric": "rss_bytes_per_object", "fmt": fmt_bytes,
        "ours": ("RelayCommand", "P6_RelayCommands"),
        "peers": [("QAction + 1 connection", "P6_QActions")],
        "budget": ("ratio", 1.0), "chart": "P6 RelayCommand RSS / QAction",
    },
    {
        "point": "P6", "what": "heap per command, 10,000 made (operator new; malloc level in brackets)",
        "metric": "new_bytes_per_object", "extra": ("malloc_bytes_per_object", fmt_bytes), "fmt": fmt_bytes,
        "ours": ("AsyncRelayCommand", "P6_AsyncRelayCommands"),
        "peers": [("QAction + 1 connection", "P6_QActions")],
        "budget": ("ratio", 1.0), "chart": "P6 AsyncRelayCommand heap / QAction",
    },
    {
        "point": "P6", "what": "resident memory per command, 10,000 made (RSS delta)",
        "metric": "rss_bytes_per_object", "fmt": fmt_bytes,
        "ours": ("AsyncRelayCommand", "P6_AsyncRelayCommands"),
        "peers": [("QAction + 1 connection", "P6_QActions")],
        "budget": ("ratio", 1.0), "chart": "P6 AsyncRelayCommand RSS / QAction",
    },
    {
        "point": "P6", "what": "heap held after 10,000 runs of one command, over the level after 1 run "
                              "(malloc level; RSS delta in brackets)",
        "metric": "held_malloc_bytes", "extra": ("rss_delta_bytes", fmt_bytes), "fmt": fmt_bytes,
        "ours": ("AsyncRelayCommand, 10,000 runs", "P6_HeldAfterRuns"),
        "peers": [],
        # A run that kept anything (an ExecutionTask, a state, a frame) would add >= 16 B per run.
        "budget": ("max", 10000), "budget_text": "< 1 B per run (10,000 B)", "chart": "P6 held / 10,000 B",
    },
]


# Parts of a budget line, measured alone in the same run: where the time of a line that does not hold
# goes, and what no design on these primitives can go below. Not budget lines.
PARTS = [
    ("P2", "a child QObject created and deleted at once", "P2_PartQObjectNewDelete", "cpu_time",
     "a run whose executionTask is read makes one ExecutionTask QObject (C6): this alone is close to 5× QAction::trigger()"),
    ("P2", "a child QObject created, deleteLater(), its DeferredDelete event sent", "P2_PartQObjectDeleteLater",
     "cpu_time", "how a replaced task goes; posting wakes the event loop (glib: a write() per post)"),
    ("P2", "the run's AsyncAction alone (frame and state, no command)", "P2_PartAsyncActionAlone", "cpu_time",
     "the coroutine's share of a run"),
    ("P3", "one QCoro::Task<int> returning at once", "P3_PartQCoroTaskAlone", "cpu_time",
     "a move-only, single-threaded task"),
    ("P3", "one AsyncOperation<int> returning at once", "P3_PartAsyncOperationAlone", "cpu_time",
     "a thread-safe shared state (A18): its id (A2) and its end are atomic operations"),
    ("P4", "one QEventLoop::exec() with the quit already posted", "P4_PartEventLoopOnly", "real_time",
     "the main thread's share of every hop, ours and the peers'"),
]


def parts_markdown(results):
    lines = ["| Point | Part | Figure | Why it matters |", "|---|---|---|---|"]
    for point, what, bench, metric, why in PARTS:
        value = results.value(bench, metric)
        figure = fmt_time(value) if value is not None else (results.error(bench) or "n/a")
        allocs = results.value(bench, "allocs_per_run") or results.value(bench, "allocs_per_call")
        if allocs is not None:
            figure += f" ({fmt_count(allocs)} allocs)"
        lines.append(f"| {point} | {what} | {figure} | {why} |")
    return "\n".join(lines) + "\n"


def cell(results, label, bench, row):
    value = results.value(bench, row["metric"])
    if value is None:
        return f"{label}: **{results.error(bench) or 'n/a'}**", None
    text = f"{label}: **{row['fmt'](value)}**"
    if "extra" in row:
        key, fmt = row["extra"]
        extra = results.value(bench, key)
        if extra is not None:
            text += f" ({fmt(extra)})"
    return text, value


def evaluate(results):
    table = []
    for row in ROWS:
        ours_text, ours = cell(results, *row["ours"], row)
        peers = [cell(results, label, bench, row) for label, bench in row["peers"]]
        reference = peers[0][1] if peers else None
        ratio = ours / reference if ours is not None and reference else None
        kind, limit = row["budget"]
        if kind == "ratio":
            holds = ratio is not None and ratio <= limit
            budget_text = f"≤ {limit:g}× {row['peers'][0][0].split(',')[0]}"
            use = ratio / limit if ratio is not None else None
        else:
            holds = ours is not None and ours <= limit
            budget_text = row["budget_text"]
            use = ours / limit if ours is not None else None
        table.append({
            "row": row, "ours_text": ours_text, "peers_text": "<br>".join(p[0] for p in peers) or "—",
            "ratio": ratio, "budget_text": budget_text, "holds": holds, "use": use,
        })
    return table


def markdown(table):
    lines = [
        "| Point | Measure | CommandKit | Peers (same binary, same run) | Ratio | Budget | Holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in table:
        row = t["row"]
        lines.append(
            f"| {row['point']} | {row['what']} | {t['ours_text']} | {t['peers_text']} | "
            f"{fmt_ratio(t['ratio'])} | {t['budget_text']} | {'yes' if t['holds'] else '**no**'} |")
    held = sum(1 for t in table if t["holds"])
    lines.append("")
    lines.append(f"{held} of {len(table)} budget lines hold. Ratio: CommandKit ÷ the first peer. "
                 "Times are medians of the repetitions.")
    return "\n".join(lines) + "\n"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(results):
    c = results.context
    lines = [
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical CPUs (nproc; Google Benchmark saw "
        f"{c.get('num_cpus', '?')} at {c.get('mhz_per_cpu', '?')} MHz)",
        f"- Load average when the run started: {', '.join(f'{x:.2f}' for x in c.get('load_avg', [])) or '?'}",
        f"- OS: {platform.platform()}",
        f"- Qt {c.get('qt_version', '?')}, QCoro {c.get('qcoro_version', '?')}, {c.get('compiler', '?')}, "
        f"CommandKit build type {c.get('commandkit_build_type', '?')}, Google Benchmark library build "
        f"{c.get('library_build_type', '?')}",
        f"- Run at {c.get('date', '?')}",
    ]
    return "\n".join(lines) + "\n"


def chart(table, png):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report.py: gnuplot not found, no chart", file=sys.stderr)
        return False
    base = os.path.splitext(png)[0]
    data = base + "-chart.dat"
    with open(data, "w", encoding="utf-8") as f:
        f.write("# label use_of_budget colour(0 holds, 1 does not) text\n")
        lowest = 1.0
        for t in table:
            use = t["use"]
            if use is None or not math.isfinite(use):
                continue
            label = t["row"]["chart"].replace('"', "'")
            if t["row"]["budget"][0] == "ratio":
                label += f" (≤ {t['row']['budget'][1]:g}×)"
                text = fmt_ratio(t["ratio"])
            else:
                text = t["row"]["fmt"](t["use"] * t["row"]["budget"][1])
            lowest = min(lowest, use)
            f.write(f'"{label}" {max(use, 1e-3):.6g} {0 if t["holds"] else 1} "{text}"\n')
    script = f"""
set terminal pngcairo size 1500,900 font "DejaVu Sans,11"
set output "{png}"
set title "CommandKit performance budget (design.md §7), measured beside its peers in one run\\nbar: measured ÷ budget limit (green: holds); label: ratio to the peer, or the figure itself" font ",13"
set ylabel "measured ÷ budget limit  (≤ 1 holds)   log scale"
set logscale y
set yrange [{10 ** math.floor(math.log10(max(lowest, 1e-3) / 2)):g}:*]
set grid ytics
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -30 left
set bmargin 13
set rmargin 16
set key top left
set palette defined (0 "#2e8b57", 1 "#c0392b")
set cbrange [0:1]
unset colorbox
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black"
set label "budget limit" at graph 1.01, first 1 left
plot "{data}" using 0:2:3:xtic(1) with boxes lc palette notitle, \\
     "" using 0:2:4 with labels offset 0,0.8 font ",10" notitle
"""
    gp = base + "-chart.gp"
    with open(gp, "w", encoding="utf-8") as f:
        f.write(script)
    result = subprocess.run([gnuplot, gp], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"report.py: gnuplot failed: {result.stderr}", file=sys.stderr)
        return False
    return True


README_BEGIN = "<!-- bench:begin (scripts/bench.sh --results writes this) -->"
README_END = "<!-- bench:end -->"


def update_readme(path, text):
    with open(path, encoding="utf-8") as f:
        readme = f.read()
    begin, end = readme.find(README_BEGIN), readme.find(README_END)
    if begin < 0 or end < begin:
        print(f"report.py: no bench markers in {path}, not updated", file=sys.stderr)
        return
    readme = readme[:begin + len(README_BEGIN)] + "\n" + text + readme[end:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(readme)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", help="JSON files written by the benchmark executables")
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--chart", help="write the PNG chart here (needs gnuplot)")
    parser.add_argument("--results", help="write the table and the machine description here")
    parser.add_argument("--readme", help="replace the table between the bench markers of this README")
    args = parser.parse_args()

    results = Results(args.json)
    table = evaluate(results)
    text = markdown(table)
    sys.stdout.write(text)
    sys.stdout.write("\nParts, measured alone in the same run (not budget lines):\n\n" + parts_markdown(results))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    if args.results:
        with open(args.results, "w", encoding="utf-8") as f:
            f.write("# Benchmarks: CommandKit beside Qt's own tools\n\n")
            f.write("Written by `scripts/bench.sh` (tests/benchmarks/report.py) from one run of the "
                    "benchmark executables in `build/release`; the budget is design.md §7.\n\n")
            f.write(text)
            f.write("\nParts, measured alone in the same run (not budget lines):\n\n")
            f.write(parts_markdown(results))
            f.write("\nMachine:\n\n")
            f.write(machine(results))
    if args.readme:
        update_readme(args.readme, text + "\nMachine:\n\n" + machine(results))
    if args.chart:
        chart(table, args.chart)
    return 0


if __name__ == "__main__":
    sys.exit(main())
