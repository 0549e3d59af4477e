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
int work = 0;
void doWork()
{
    ++work;
    benchmark::DoNotOptimize(work);
}

template <typename Call>
void countAllocations(benchmark::State &state, Call call)
{
    CommandKitBench::HeapCount count;
    for (int i = 0; i < countedCalls; ++i)
        call();
    const CommandKitBench::HeapStats heap = count.stats();
    state.counters["allocs_per_call"] = double(heap.news) / countedCalls;
    state.counters["mallocs_per_call"] = double(heap.mallocs) / countedCalls;
}

void P1_StdFunction(benchmark::State &state)
{
    std::function<void()> f = doWork;
    benchmark::DoNotOptimize(f);
    for (auto _ : state)
        f();
    countAllocations(state, [&] { f(); });
}

void P1_QActionTrigger(benchmark::State &state)
{
    QAction action;
    QObject receiver;
    QObject::connect(&action, &QAction::triggered, &receiver, [] { doWork(); });
    for (auto _ : state)
        action.trigger();
    countAllocations(state, [&] { action.trigger(); });
}

void P1_RelayCommandExecute(benchmark::State &state)
{
    CommandKit::RelayCommand command([] { doWork(); });
    for (auto _ : state)
        command.execute();
    countAllocations(state, [&] { command.execute(); });
}

} // namespace

BENCHMARK(P1_StdFunction);
BENCHMARK(P1_QActionTrigger);
BENCHMARK(P1_RelayCommandExecute);
