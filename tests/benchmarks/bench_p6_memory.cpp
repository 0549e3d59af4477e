// SPDX-License-Identifier: MIT
// P6 (design.md §7): 10,000 commands cost no more than 10,000 QActions; a finished run holds no memory
// once its ExecutionTask is replaced.
//
// Memory of N objects: the live heap bytes they add (allocated minus freed while they are made, at
// the operator new level and at the malloc level, which also sees Qt's own malloc), and the growth of
// the resident set (/proc/self/statm) after the heap's free pages were returned with malloc_trim, so
// reused memory counts too. Each case makes its objects as children of one parent, like a viewmodel,
// and destroys them afterwards.
#include <QtCore/QEventLoop>
#include <QtGui/QAction>

#include <benchmark/benchmark.h>

#include <memory>

#include "benchsupport.h"
#include "commandkit/asyncrelaycommand.h"
#include "commandkit/relaycommand.h"
#include "commandkit/scheduling.h"

namespace {

constexpr int objects = 10000;
constexpr int runs = 10000;

template <typename Make>
void measureObjects(benchmark::State &state, Make make)
{
    CommandKitBench::HeapStats heap;
    std::int64_t resident = 0;
    for (auto _ : state) {
        auto parent = std::make_unique<QObject>();
        CommandKitBench::processDeferredDeletes();
        CommandKitBench::trimHeap();
        const std::int64_t residentBefore = CommandKitBench::residentBytes();
        {
            CommandKitBench::HeapCount count;
            for (int i = 0; i < objects; ++i)
                make(parent.get());
            heap = count.stats();
        }
        resident = CommandKitBench::residentBytes() - residentBefore;
        parent.reset();
    }
    if (CommandKitBench::allocationTracingRequested()) {
        QObject parent;
        CommandKitBench::HeapCount count;
        CommandKitBench::setAllocationTracing(true);
        make(&parent);
        CommandKitBench::setAllocationTracing(false);
    }
    state.counters["new_bytes_per_object"] = double(heap.newLiveBytes) / objects;
    state.counters["malloc_bytes_per_object"] = double(heap.mallocLiveBytes) / objects;
    state.counters["allocs_per_object"] = double(heap.news) / objects;
    state.counters["mallocs_per_object"] = double(heap.mallocs) / objects;
    state.counters["rss_bytes_per_object"] = double(resident) / objects;
}

void P6_QActions(benchmark::State &state)
{
    measureObjects(state, [](QObject *parent) {
        auto *action = new QAction(parent);
        QObject::connect(action, &QAction::triggered, parent, [] { CommandKitBench::doWork(); });
    });
}

void P6_RelayCommands(benchmark::State &state)
{
    measureObjects(state, [](QObject *parent) {
        new CommandKit::RelayCommand([] { CommandKitBench::doWork(); }, parent);
    });
}

void P6_AsyncRelayCommands(benchmark::State &state)
{
    measureObjects(state, [](QObject *parent) {
        new CommandKit::AsyncRelayCommand(
            []() -> CommandKit::AsyncAction {
                CommandKitBench::doWork();
                co_return;
            },
            parent);
    });
}

/*
    10,000 runs of one command, each hopping to the thread pool and back (the run of P4), with the
    event loop running until the command is idle, so every replaced ExecutionTask's deleteLater() is
    carried out. The heap after the last run is compared with the heap after the first one.
*/
void P6_HeldAfterRuns(benchmark::State &state)
{
    CommandKitBench::HeapStats heap;
    std::int64_t resident = 0;
    for (auto _ : state) {
        auto command = std::make_unique<CommandKit::AsyncRelayCommand>([]() -> CommandKit::AsyncAction {
            co_await CommandKit::resumeBackground();
            CommandKitBench::doWork();
        });
        QEventLoop loop;
        QObject::connect(command.get(), &CommandKit::AsyncRelayCommand::isRunningChanged, &loop, [&] {
            if (!command->isRunning())
                loop.quit();
        });
        const auto run = [&] {
            command->execute();
            if (command->isRunning())
                loop.exec();
            CommandKitBench::processDeferredDeletes();
        };
        run();
        CommandKitBench::trimHeap();
        const std::int64_t residentBefore = CommandKitBench::residentBytes();
        {
            CommandKitBench::HeapCount count;
            for (int i = 1; i < runs; ++i)
                run();
            heap = count.stats();
        }
        CommandKitBench::trimHeap();
        resident = CommandKitBench::residentBytes() - residentBefore;
    }
    state.counters["held_new_bytes"] = double(heap.newLiveBytes);
    state.counters["held_malloc_bytes"] = double(heap.mallocLiveBytes);
    state.counters["rss_delta_bytes"] = double(resident);
    state.counters["runs"] = runs;
}

} // namespace

// One pass each, repeated; each measures its own objects, so the order of the cases does not matter.
BENCHMARK(P6_QActions)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(P6_RelayCommands)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(P6_AsyncRelayCommands)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(P6_HeldAfterRuns)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);
