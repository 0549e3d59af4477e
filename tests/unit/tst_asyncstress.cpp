// SPDX-License-Identifier: MIT
// Thread stress of AsyncOperation (design.md A18, A4, A6, A7): 8 threads race cancel(), progress
// reports, handler registration, waiting and the body's own end on shared operations, many thousands of
// times. Bounded by iteration count; meant to be run under ThreadSanitizer (the tsan preset) as well.
#include <QtCore/QThreadPool>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/scheduling.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

using namespace CommandKit;

namespace {

constexpr int threadCount = 8;

int iterations()
{
    return qEnvironmentVariableIsSet("COMMANDKIT_STRESS_ITERATIONS")
               ? qEnvironmentVariableIntValue("COMMANDKIT_STRESS_ITERATIONS")
               : 2000;
}

/*! A body that ends on a pool thread after reporting \a reports values. */
AsyncOperation<int, int> worker(int reports)
{
    auto progress = co_await getProgressToken();
    auto canceled = co_await getCancellationToken();
    co_await resumeBackground();
    for (int i = 0; i < reports && !canceled(); ++i)
        progress(i);
    co_return reports;
}

} // namespace

class tst_AsyncStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void racingCancelHandlersAndEndKeepTheContract_A18();
    void manyWaitersAllWakeOnce_A11_A18();
};

void tst_AsyncStress::racingCancelHandlersAndEndKeepTheContract_A18()
{
    const int rounds = iterations();
    std::atomic<int> failures{0};
    for (int round = 0; round < rounds; ++round) {
        const AsyncOperation<int, int> op = worker(200);
        std::atomic<int> completedRegistrations{0};
        std::atomic<int> rejectedRegistrations{0};
        std::atomic<int> completedCalls{0};
        std::atomic<int> progressCalls{0};
        std::barrier start(threadCount);
        std::vector<std::thread> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                switch (t % 4) {
                case 0:
                    op.cancel();
                    break;
                case 1:
                    op.setProgress([&](const AsyncOperation<int, int> &, const int &) { ++progressCalls; });
                    break;
                case 2:
                    try {
                        op.setCompleted(
                            [&](const AsyncOperation<int, int> &, AsyncStatus) { ++completedCalls; });
                        ++completedRegistrations;
                    } catch (const AsyncError &e) {
                        if (e.code() == AsyncError::IllegalDelegateAssignment)
                            ++rejectedRegistrations;
                        else
                            ++failures;
                    }
                    break;
                case 3:
                    if (op.waitFor(std::chrono::seconds(10)) == AsyncStatus::Started)
                        ++failures;
                    break;
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        // The main thread may not block while Started (A11): wait through the pool-ended body instead.
        QTRY_VERIFY_WITH_TIMEOUT(!op.isRunning(), 10000);
        QCOMPARE(completedRegistrations.load(), 1);
        QCOMPARE(rejectedRegistrations.load(), threadCount / 4 - 1);
        QTRY_COMPARE_WITH_TIMEOUT(completedCalls.load(), 1, 10000);
        QVERIFY(op.status() == AsyncStatus::Completed || op.status() == AsyncStatus::Canceled);
        QCOMPARE(failures.load(), 0);
    }
}

void tst_AsyncStress::manyWaitersAllWakeOnce_A11_A18()
{
    for (int round = 0; round < iterations(); ++round) {
        const AsyncOperation<int, int> op = worker(50);
        std::atomic<int> woke{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back([&] {
                if (op.get() == 50)
                    ++woke;
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(woke.load(), threadCount);
        QCOMPARE(op.getResults(), 50);
    }
}

QTEST_GUILESS_MAIN(tst_AsyncStress)

#include "tst_asyncstress.moc"
