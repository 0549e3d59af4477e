// SPDX-License-Identifier: MIT
// P5 (design.md §7): a worker reporting progress in a tight loop pays at most 25 ns a report, and the
// GUI thread holds at most one pending progress delivery per operation (A7). The peer: a QPromise on a
// pool thread calling setProgressValue(), watched by a QFutureWatcher on the main thread.
//
// Each iteration runs one operation: the worker reports `reports` times in a tight loop while the main
// thread runs its event loop and receives the deliveries. The iteration's time is the worker's loop
// (manual time, wall clock), so ns per report = time / reports. After the timed iterations, one more
// operation samples, after every report, the events posted to the receiving object and not yet
// delivered (QObjectData::postedEvents): the largest is max_pending.
#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <semaphore>

#include "benchsupport.h"
#include "commandkit/asyncoperation.h"
#include "commandkit/progress.h"
#include "commandkit/scheduling.h"

namespace {

constexpr int reports = 200000;
using Clock = std::chrono::steady_clock;

struct Pass
{
    double seconds = 0;
    long long delivered = 0;
    int maxPending = 0;
};

// The worker waits for `go` so that the handlers are in place before its first report.
CommandKit::AsyncActionWithProgress<int> reportInALoop(std::binary_semaphore &go, Pass &pass,
                                                       const CommandKitBench::PendingProbe *probe)
{
    auto progress = co_await CommandKit::getProgressToken();
    co_await CommandKit::resumeBackground();
    go.acquire();
    const auto start = Clock::now();
    if (probe) {
        for (int i = 1; i <= reports; ++i) {
            progress(i);
            pass.maxPending = std::max(pass.maxPending, probe->pendingEvents());
        }
    } else {
        for (int i = 1; i <= reports; ++i)
            progress(i);
    }
    pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

Pass operationPass(bool sample)
{
    CommandKitBench::PendingProbe context;
    QEventLoop loop;
    std::binary_semaphore go{0};
    Pass pass;
    int last = 0;
    auto operation = reportInALoop(go, pass, sample ? &context : nullptr);
    operation.setProgress(&context, [&](const auto &, const int &value) {
        ++pass.delivered;
        last = value;
    });
    operation.setCompleted(&context, [&](const auto &, CommandKit::AsyncStatus) { loop.quit(); });
    go.release();
    loop.exec();
    if (last != reports)
        pass.seconds = -1; // the last report must be delivered (A7)
    return pass;
}

Pass futurePass(bool sample)
{
    CommandKitBench::PendingProbeOf<QFutureWatcher<void>> watcher;
    QEventLoop loop;
    std::binary_semaphore go{0};
    Pass pass;
    int last = 0;
    QObject::connect(&watcher, &QFutureWatcherBase::progressValueChanged, &watcher, [&](int value) {
        ++pass.delivered;
        last = value;
    });
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    auto promise = std::make_shared<QPromise<void>>();
    promise->setProgressRange(0, reports);
    watcher.setFuture(promise->future());
    promise->start();
    const auto *probe = sample ? &watcher : nullptr;
    QThreadPool::globalInstance()->start([promise, probe, &go, &pass] {
        go.acquire();
        const auto start = Clock::now();
        if (probe) {
            for (int i = 1; i <= reports; ++i) {
                promise->setProgressValue(i);
                pass.maxPending = std::max(pass.maxPending, probe->pendingEvents());
            }
        } else {
            for (int i = 1; i <= reports; ++i)
                promise->setProgressValue(i);
        }
        pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        promise->finish();
    });
    go.release();
    loop.exec();
    if (last != reports)
        pass.seconds = -1;
    return pass;
}

void measure(benchmark::State &state, Pass (*onePass)(bool))
{
    double seconds = 0;
    long long delivered = 0;
    for (auto _ : state) {
        const Pass pass = onePass(false);
        if (pass.seconds < 0) {
            state.SkipWithError("the last progress report was not delivered");
            return;
        }
        state.SetIterationTime(pass.seconds);
        seconds += pass.seconds;
        delivered += pass.delivered;
    }
    const double total = double(state.iterations()) * reports;
    state.counters["ns_per_report"] = seconds * 1e9 / total;
    state.counters["deliveries_per_1000_reports"] = 1000.0 * double(delivered) / total;
    state.counters["max_pending"] = onePass(true).maxPending;
}

void P5_QPromiseProgressWatcher(benchmark::State &state)
{
    measure(state, futurePass);
}

void P5_AsyncOperationProgressContext(benchmark::State &state)
{
    measure(state, operationPass);
}

} // namespace

BENCHMARK(P5_QPromiseProgressWatcher)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(P5_AsyncOperationProgressContext)->UseManualTime()->Unit(benchmark::kMillisecond);
