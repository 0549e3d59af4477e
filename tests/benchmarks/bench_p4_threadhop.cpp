// SPDX-License-Identifier: MIT
// P4 (design.md §7): a run that hops to the thread pool and back to the GUI thread (resumeBackground(),
// then completion on the command's thread) takes at most half the time of QtConcurrent::run +
// QFutureWatcher for the same work. Also QPromise + QFuture::then(context, ...). Every case runs the
// same trivial work on the global QThreadPool and is driven by a QEventLoop on the main thread until
// the main thread has seen the end.
#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

#include <benchmark/benchmark.h>

#include <memory>

#include "benchsupport.h"
#include "commandkit/asyncrelaycommand.h"
#include "commandkit/scheduling.h"

namespace {

constexpr int countedRuns = 200;

void P4_QtConcurrentRunWatcher(benchmark::State &state)
{
    QEventLoop loop;
    QFutureWatcher<void> watcher;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    const auto run = [&] {
        watcher.setFuture(QtConcurrent::run(CommandKitBench::doWork));
        loop.exec(); // finished() is always posted to the watcher, never emitted inside setFuture()
    };
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run);
}

void P4_QPromiseThenContext(benchmark::State &state)
{
    QEventLoop loop;
    QObject context;
    const auto run = [&] {
        auto promise = std::make_shared<QPromise<void>>();
        QFuture<void> done = promise->future().then(&context, [&loop] { loop.quit(); });
        promise->start();
        QThreadPool::globalInstance()->start([promise] {
            CommandKitBench::doWork();
            promise->finish();
        });
        loop.exec(); // the continuation is posted to the context's thread
    };
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run);
}

/*
    The floor: what any hop to the pool and back costs with Qt's primitives and nothing else (the
    pool's wake-up, a posted call back to the main thread, the event loop's wake-up).
*/
void P4_FloorPoolAndPostBack(benchmark::State &state)
{
    QEventLoop loop;
    const auto run = [&] {
        QThreadPool::globalInstance()->start([&loop] {
            CommandKitBench::doWork();
            QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
        });
        loop.exec();
    };
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run);
}

/* Not a peer: what one iteration's QEventLoop::exec() costs by itself, with the quit posted at once. */
void P4_PartEventLoopOnly(benchmark::State &state)
{
    QEventLoop loop;
    const auto run = [&] {
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
        loop.exec();
    };
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run);
}

void P4_AsyncRelayCommandResumeBackground(benchmark::State &state)
{
    CommandKit::AsyncRelayCommand command([]() -> CommandKit::AsyncAction {
        co_await CommandKit::resumeBackground();
        CommandKitBench::doWork();
    });
    QEventLoop loop;
    QObject::connect(&command, &CommandKit::AsyncRelayCommand::isRunningChanged, &loop, [&] {
        if (!command.isRunning())
            loop.quit();
    });
    const auto run = [&] {
        command.execute();
        // The end comes from a pool thread, so it is always posted to the command's thread (C12).
        if (command.isRunning())
            loop.exec();
    };
    for (auto _ : state)
        run();
    CommandKitBench::countAllocations(state, countedRuns, "run", run);
}

} // namespace

BENCHMARK(P4_QtConcurrentRunWatcher)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(P4_QPromiseThenContext)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(P4_FloorPoolAndPostBack)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(P4_PartEventLoopOnly)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(P4_AsyncRelayCommandResumeBackground)->UseRealTime()->Unit(benchmark::kMicrosecond);
