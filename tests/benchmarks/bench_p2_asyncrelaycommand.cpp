// SPDX-License-Identifier: MIT
// P2 (design.md §7): one AsyncRelayCommand run whose coroutine finishes without suspending, with a slot
// on isRunningChanged and every notification included, costs at most 5x QAction::trigger() and at
// most three heap allocations (coroutine frame and ExecutionTask included: measured with a slot that
// reads executionTask, as a view does; without one no ExecutionTask is made).
#include <QtCore/QProperty>
#include <QtGui/QAction>

#include <QCoro/QCoroTask>

#include <benchmark/benchmark.h>

#include "benchsupport.h"
#include "commandkit/asyncrelaycommand.h"

namespace {

constexpr int countedRuns = 1000;

void P2_QActionTrigger(benchmark::State &state)
{
    QAction action;
    QObject receiver;
    QObject::connect(&action, &QAction::triggered, &receiver, [] { CommandKitBench::doWork(); });
    for (auto _ : state)
        action.trigger();
    CommandKitBench::countAllocations(
        state, countedRuns, "run", [&] { action.trigger(); }, true);
}

/*
    A whole run: execute(), the delegate's coroutine (frame, state), every signal of the start and the
    end (executionTaskChanged, isRunningChanged twice, canBeCanceledChanged twice, canExecuteChanged
    twice). With \a readTask a slot on executionTaskChanged reads executionTask, as a QML binding does,
    so every run makes its ExecutionTask: the task's statusChanged and isRunningChanged fire at the end,
    and the task the run replaced is deleted (deleteLater: the DeferredDelete event is sent in the same
    iteration). Without it nobody reads executionTask and no task is made (C6: made on the first read).
*/
void runAsyncRelayCommand(benchmark::State &state, bool readTask)
{
    CommandKit::AsyncRelayCommand command([]() -> CommandKit::AsyncAction {
        CommandKitBench::doWork();
        co_return;
    });
    QObject receiver;
    int notifications = 0;
    int tasks = 0;
    QObject::connect(&command, &CommandKit::AsyncRelayCommand::isRunningChanged, &receiver,
                     [&notifications] { ++notifications; });
    if (readTask) {
        QObject::connect(&command, &CommandKit::AsyncRelayCommand::executionTaskChanged, &receiver,
                         [&command, &tasks] { tasks += command.executionTask() != nullptr; });
    }
    const auto run = [&] {
        command.execute();
        CommandKitBench::processDeferredDeletes();
    };
    run(); // the first run makes what later runs reuse (the command's Extras; with readTask a task)
    for (auto _ : state)
        run();
    const int before = notifications;
    const int tasksBefore = tasks;
    CommandKitBench::countAllocations(state, countedRuns, "run", run, true);
    if (notifications - before < 2 * countedRuns)
        state.SkipWithError("isRunningChanged did not fire twice per run: the run suspended");
    if (readTask && tasks - tasksBefore < countedRuns)
        state.SkipWithError("executionTask was not read once per run");
}

void P2_AsyncRelayCommandRun(benchmark::State &state)
{
    runAsyncRelayCommand(state, false);
}

// The run P2's budget was written for: a view reads its task.
void P2_AsyncRelayCommandRunTaskRead(benchmark::State &state)
{
    runAsyncRelayCommand(state, true);
}

/*
    The peer a Qt developer writes by hand for one button (issue #10): a bindable busy flag whose
    change calls a slot, set around an awaited QCoro::Task that does the work. No task object, no
    cancellation, no error surface, no concurrency mode: the floor a command's run is compared with.
*/
QCoro::Task<> handWrittenWork()
{
    CommandKitBench::doWork();
    co_return;
}

struct HandWrittenViewModel
{
    QProperty<bool> busy{false};
    QCoro::Task<> save()
    {
        busy = true;
        co_await handWrittenWork();
        busy = false;
    }
};

void P2_HandWrittenBusyFlag(benchmark::State &state)
{
    HandWrittenViewModel vm;
    int notifications = 0;
    const auto slot = vm.busy.onValueChanged([&notifications] { ++notifications; });
    const auto run = [&] { (void)vm.save(); };
    for (auto _ : state)
        run();
    const int before = notifications;
    CommandKitBench::countAllocations(state, countedRuns, "run", run, true);
    if (notifications - before < 2 * countedRuns)
        state.SkipWithError("busy did not change twice per run");
}

// The same, with a QObject per run that a view could bind to (what ExecutionTask is), deleted later.
void P2_HandWrittenBusyFlagAndRunObject(benchmark::State &state)
{
    HandWrittenViewModel vm;
    QObject parent;
    QObject *current = nullptr;
    int notifications = 0;
    const auto slot = vm.busy.onValueChanged([&notifications] { ++notifications; });
    const auto run = [&] {
        QObject *previous = std::exchange(current, new QObject(&parent));
        (void)vm.save();
        if (previous)
            previous->deleteLater();
        CommandKitBench::processDeferredDeletes();
    };
    run();
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run, true);
}

// Parts of a run, each measured alone, to show where its time goes (not peers; not in the budget table).

// The ExecutionTask's life: a child QObject, deleteLater(), the DeferredDelete event sent.
void P2_PartQObjectDeleteLater(benchmark::State &state)
{
    QObject parent;
    const auto part = [&] {
        (new QObject(&parent))->deleteLater();
        CommandKitBench::processDeferredDeletes();
    };
    for (auto _ : state)
        part();
    CommandKitBench::countAllocations(state, countedRuns, "run", part, true);
}

// The same child QObject deleted at once.
void P2_PartQObjectNewDelete(benchmark::State &state)
{
    QObject parent;
    const auto part = [&] { delete new QObject(&parent); };
    for (auto _ : state)
        part();
    CommandKitBench::countAllocations(state, countedRuns, "run", part, true);
}

// The run's operation alone: an AsyncAction coroutine that returns at once, its handle dropped.
CommandKit::AsyncAction returnAtOnce()
{
    CommandKitBench::doWork();
    co_return;
}

void P2_PartAsyncActionAlone(benchmark::State &state)
{
    const auto part = [] { (void)returnAtOnce(); };
    for (auto _ : state)
        part();
    CommandKitBench::countAllocations(state, countedRuns, "run", part, true);
}

} // namespace

BENCHMARK(P2_QActionTrigger);
BENCHMARK(P2_AsyncRelayCommandRun);
BENCHMARK(P2_AsyncRelayCommandRunTaskRead);
BENCHMARK(P2_HandWrittenBusyFlag);
BENCHMARK(P2_HandWrittenBusyFlagAndRunObject);
BENCHMARK(P2_PartQObjectDeleteLater);
BENCHMARK(P2_PartQObjectNewDelete);
BENCHMARK(P2_PartAsyncActionAlone);
