// SPDX-License-Identifier: MIT
// P1 (design.md §7): RelayCommand::execute() costs no more than QAction::trigger() with one connected
// slot. The floor: a bare std::function call doing the same work.
#include <QtGui/QAction>

#include <benchmark/benchmark.h>

#include <functional>

#include "benchsupport.h"
#include "commandkit/relaycommand.h"

namespace {

constexpr int countedCalls = 1000;

// What every case does per call, so the three differ only by the dispatch around it.

void P1_StdFunction(benchmark::State &state)
{
    std::function<void()> f = CommandKitBench::doWork;
    benchmark::DoNotOptimize(f);
    for (auto _ : state)
        f();
    CommandKitBench::countAllocations(state, countedCalls, "call", [&] { f(); });
}

void P1_QActionTrigger(benchmark::State &state)
{
    QAction action;
    QObject receiver;
    QObject::connect(&action, &QAction::triggered, &receiver, [] { CommandKitBench::doWork(); });
    for (auto _ : state)
        action.trigger();
    CommandKitBench::countAllocations(state, countedCalls, "call", [&] { action.trigger(); });
}

void P1_RelayCommandExecute(benchmark::State &state)
{
    CommandKit::RelayCommand command([] { CommandKitBench::doWork(); });
    for (auto _ : state)
        command.execute();
    CommandKitBench::countAllocations(state, countedCalls, "call", [&] { command.execute(); });
}

} // namespace

BENCHMARK(P1_StdFunction);
BENCHMARK(P1_QActionTrigger);
BENCHMARK(P1_RelayCommandExecute);
