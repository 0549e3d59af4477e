// SPDX-License-Identifier: MIT
// How an AsyncRelayCommand starts a run (design.md C5, C7, C9): whatever its delegate does before it
// returns its operation (starts other operations of any type, returns one that already exists or has
// already ended, throws), the run is the operation it returned; and a throw at any point of the start
// leaves the command consistent and usable.
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/testing.h>

#include <QCoro/QCoroTask>

#include <optional>
#include <stdexcept>
#include <stop_token>
#include <vector>

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;

namespace {

// Helpers a delegate starts before it returns its real operation (logging, prefetching, ...).

AsyncOperation<int> helperReturning(int value)
{
    co_return value;
}

AsyncOperation<int> helperWaiting(Gate &gate, int value)
{
    co_await gate;
    co_return value;
}

AsyncAction helperAction(Gate &gate)
{
    co_await gate;
}

AsyncOperationWithProgress<int, int> helperReporting(int value, Gate &gate)
{
    auto progress = co_await getProgressToken();
    progress(value);
    co_await gate;
    co_return value;
}

AsyncOperationWithProgress<int, int> reportingAfter(Gate &gate, int report, int value)
{
    auto progress = co_await getProgressToken();
    progress(report);
    co_await gate;
    co_return value;
}

/*!
    A delegate that is a function object with two member coroutines of the same type: \c operator()
    is a plain function that starts \c helper() on itself, then returns \c real().
*/
struct TwoMemberCoroutines
{
    Gate *helperGate;
    Gate *realGate;
    std::vector<AsyncOperation<int>> *helpers;

    AsyncOperation<int> helper() const
    {
        co_await *helperGate;
        co_return 111;
    }
    AsyncOperation<int> real() const
    {
        co_await *realGate;
        co_return 222;
    }
    AsyncOperation<int> operator()() const
    {
        helpers->push_back(helper());
        return real();
    }
};

} // namespace

class tst_CommandStart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Adoption: the run is the operation the delegate returned (C5, C7).
    void delegateStartingHelperOperationRunsTheReturnedOne_C5();
    void delegateStartingPendingHelperOfSameTypeRunsTheReturnedOne_C5();
    void delegateStartingHelperOfAnotherTypeRunsTheReturnedOne_C5();
    void delegateStartingReportingHelperShowsReturnedOperationsProgress_C5();
    void cancelReachesReturnedOperationNotHelper_C5();
    void executeAsyncEndsWithReturnedOperationNotHelper_C5();
    void delegateReturningCompletedOperationEndsWithIt_C5();
    void delegateReturningFailedOperationEndsWithIt_C5();
    void delegateReturningCanceledOperationEndsCanceled_C5();
    void delegateReturningExistingOperationAfterHelperEndsWithIt_C5();
    void functorStartingMemberHelperOfSameTypeRunsTheReturnedOne_C5();
    void coroutineDelegateStartingHelpersRunsItself_C5();
    void futureDelegateStartingHelperRunsTheFuture_C5();
    void taskDelegateStartingHelperRunsTheTask_C5();
    void delegateThrowingAfterStartingHelperEndsErrorAndLeavesHelperAlone_C9();
    void delegateReturningEmptyOperationAfterHelperEndsError_C5();
    void taskIdStaysTheSameFromStartToEnd_C7();
    void isRunningStaysTrueUntilReturnedOperationEnds_C7();
    void runProgressAndEndAreTheReturnedOperationsInEveryMode_C5_data();
    void runProgressAndEndAreTheReturnedOperationsInEveryMode_C5();
};

// ------------------------------------------------------------------------------------ adoption (C5)

void tst_CommandStart::delegateStartingHelperOperationRunsTheReturnedOne_C5()
{
    // The case of issue #10: a plain function starts a helper (111), then returns its real work (222).
    Gate gate;
    AsyncRelayCommand command([&gate] {
        (void)helperReturning(111);
        return helperWaiting(gate, 222);
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QVERIFY(task);
    QVERIFY(command.isRunning());
    QVERIFY(command.canBeCanceled());
    QCOMPARE(task->status(), AsyncStatus::Started);
    QVERIFY(task->isRunning());
    QCOMPARE(task->result(), QVariant());
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning()); // not ended by the helper's end
    QCOMPARE(task->status(), AsyncStatus::Started);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->status(), AsyncStatus::Completed);
    QCOMPARE(task->result(), QVariant(222));
}

void tst_CommandStart::delegateStartingPendingHelperOfSameTypeRunsTheReturnedOne_C5()
{
    Gate helperGate;
    Gate realGate;
    AsyncOperation<int> helper;
    AsyncRelayCommand command([&] {
        helper = helperWaiting(helperGate, 111);
        return helperWaiting(realGate, 222);
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    realGate.open(); // the real work ends first
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->status(), AsyncStatus::Completed);
    QCOMPARE(task->result(), QVariant(222));
    QCOMPARE(helper.status(), AsyncStatus::Started);
    helperGate.open();
    QCOMPARE(helper.getResults(), 111);
    QCoreApplication::processEvents();
    QCOMPARE(task->result(), QVariant(222)); // the helper's end changes nothing
}

void tst_CommandStart::delegateStartingHelperOfAnotherTypeRunsTheReturnedOne_C5()
{
    Gate helperGate;
    Gate realGate;
    AsyncAction helper;
    AsyncRelayCommand command([&](int value) {
        helper = helperAction(helperGate);
        (void)helperReturning(value); // and one of the returned type that ends at once
        return helperWaiting(realGate, value * 2);
    });
    command.execute(21);
    ExecutionTask *task = command.executionTask();
    QVERIFY(command.isRunning());
    helperGate.open();
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    QCOMPARE(task->status(), AsyncStatus::Started);
    realGate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->result(), QVariant(42));
}

void tst_CommandStart::delegateStartingReportingHelperShowsReturnedOperationsProgress_C5()
{
    Gate helperGate;
    Gate realGate;
    AsyncOperationWithProgress<int, int> helper;
    AsyncRelayCommand command([&] {
        helper = helperReporting(1, helperGate);
        return reportingAfter(realGate, 2, 20);
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QTRY_COMPARE_WITH_TIMEOUT(task->progress(), QVariant(2), 5000);
    helperGate.open();
    QCoreApplication::processEvents();
    QCOMPARE(task->progress(), QVariant(2));
    QCOMPARE(task->status(), AsyncStatus::Started);
    realGate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->result(), QVariant(20));
    QCOMPARE(task->progress(), QVariant(2));
}

void tst_CommandStart::cancelReachesReturnedOperationNotHelper_C5()
{
    Gate helperGate;
    Gate realGate;
    AsyncOperation<int> helper;
    AsyncOperation<int> real;
    AsyncRelayCommand command([&] {
        helper = helperWaiting(helperGate, 111);
        real = helperWaiting(realGate, 222);
        return real;
    });
    command.execute();
    QVERIFY(command.canBeCanceled());
    command.cancel();
    QCOMPARE(real.status(), AsyncStatus::Canceled);
    QCOMPARE(helper.status(), AsyncStatus::Started);
    QVERIFY(command.isRunning()); // until the canceled body unwinds (A5, C7)
    realGate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    helperGate.open();
    QCOMPARE(helper.getResults(), 111);
}

void tst_CommandStart::executeAsyncEndsWithReturnedOperationNotHelper_C5()
{
    Gate gate;
    AsyncRelayCommand command([&gate] {
        (void)helperReturning(111);
        return helperWaiting(gate, 222);
    });
    const AsyncAction run = command.executeAsync();
    QCOMPARE(command.executionTask()->id(), run.id());
    QCoreApplication::processEvents();
    QCOMPARE(run.status(), AsyncStatus::Started);
    QVERIFY(run.isRunning());
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY(!command.isRunning());
    QCOMPARE(command.executionTask()->result(), QVariant(222));
}

void tst_CommandStart::delegateReturningCompletedOperationEndsWithIt_C5()
{
    const AsyncOperation<int> done = helperReturning(7);
    QCOMPARE(done.status(), AsyncStatus::Completed);
    AsyncRelayCommand command([&done] { return done; });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY(!command.isRunning());
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(7));
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
    command.execute(); // and again
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(7));
}

void tst_CommandStart::delegateReturningFailedOperationEndsWithIt_C5()
{
    UnhandledErrors errors;
    Gate gate;
    const AsyncAction failed = failActionAfter(gate, "failed before the run");
    gate.open();
    QCOMPARE(failed.status(), AsyncStatus::Error);
    AsyncRelayCommand command([&failed] { return failed; });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->errorString(), QStringLiteral("failed before the run"));
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QVERIFY(!command.isRunning());
}

void tst_CommandStart::delegateReturningCanceledOperationEndsCanceled_C5()
{
    Gate gate;
    const AsyncAction canceled = helperAction(gate);
    canceled.cancel();
    gate.open();
    QVERIFY(!canceled.isRunning());
    AsyncRelayCommand command([&canceled] { return canceled; });
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    QVERIFY(!command.isRunning());
    QVERIFY(!command.canBeCanceled());
}

void tst_CommandStart::delegateReturningExistingOperationAfterHelperEndsWithIt_C5()
{
    Gate gate;
    const AsyncOperation<int> existing = helperWaiting(gate, 5);
    AsyncRelayCommand command([&existing] {
        (void)helperReturning(111);
        return existing;
    });
    command.execute();
    QVERIFY(command.isRunning());
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Started);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(5));
}

void tst_CommandStart::functorStartingMemberHelperOfSameTypeRunsTheReturnedOne_C5()
{
    Gate helperGate;
    Gate realGate;
    std::vector<AsyncOperation<int>> helpers;
    AsyncRelayCommand command(TwoMemberCoroutines{&helperGate, &realGate, &helpers});
    command.execute();
    ExecutionTask *task = command.executionTask();
    QVERIFY(command.isRunning());
    helperGate.open();
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    QCOMPARE(task->status(), AsyncStatus::Started);
    QCOMPARE(task->result(), QVariant());
    command.cancel();
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    realGate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    QCOMPARE(helpers.at(0).getResults(), 111);
}

void tst_CommandStart::coroutineDelegateStartingHelpersRunsItself_C5()
{
    Gate helperGate;
    Gate realGate;
    AsyncOperation<int> helper;
    AsyncRelayCommand command([&]() -> AsyncOperation<int> {
        helper = helperWaiting(helperGate, 111);
        (void)helperReturning(112);
        co_await realGate;
        co_return 222;
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    helperGate.open();
    QCoreApplication::processEvents();
    QCOMPARE(task->status(), AsyncStatus::Started);
    realGate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->result(), QVariant(222));
}

void tst_CommandStart::futureDelegateStartingHelperRunsTheFuture_C5()
{
    QPromise<int> promise;
    promise.start();
    AsyncRelayCommand command([&promise] {
        (void)helperReturning(111);
        return promise.future();
    });
    command.execute();
    QVERIFY(command.isRunning());
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    promise.addResult(222);
    promise.finish();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(222));
}

void tst_CommandStart::taskDelegateStartingHelperRunsTheTask_C5()
{
    Gate gate;
    AsyncRelayCommand command([&gate]() -> QCoro::Task<int> {
        (void)helperReturning(111);
        co_await gate;
        co_return 222;
    });
    command.execute();
    QVERIFY(command.isRunning());
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(222));
}

void tst_CommandStart::delegateThrowingAfterStartingHelperEndsErrorAndLeavesHelperAlone_C9()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncOperation<int> helper;
    AsyncRelayCommand command([&]() -> AsyncOperation<int> {
        helper = helperWaiting(gate, 111);
        throw TestError("no real work");
    });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->errorString(), QStringLiteral("no real work"));
    QVERIFY(!command.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QCOMPARE(helper.status(), AsyncStatus::Started); // not finished with the delegate's error
    gate.open();
    QCOMPARE(helper.getResults(), 111);
}

void tst_CommandStart::delegateReturningEmptyOperationAfterHelperEndsError_C5()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncOperation<int> helper;
    AsyncRelayCommand command([&] {
        helper = helperWaiting(gate, 111);
        return AsyncOperation<int>();
    });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(thrown([&] { run.getResults(); }), QStringLiteral("AsyncError::IllegalMethodCall"));
    QVERIFY(!command.isRunning());
    QCOMPARE(helper.status(), AsyncStatus::Started);
    gate.open();
    QCOMPARE(helper.getResults(), 111);
}

void tst_CommandStart::taskIdStaysTheSameFromStartToEnd_C7()
{
    // A view reads the task's id when executionTaskChanged arrives, before the delegate runs (C7); it
    // is CONSTANT, so it must not change when the delegate returns an operation of its own.
    Gate gate;
    const AsyncOperation<int> existing = helperWaiting(gate, 3);
    AsyncRelayCommand command([&existing] {
        (void)helperReturning(111);
        return existing;
    });
    quint64 idAtStart = 0;
    QObject context;
    QObject::connect(&command, &AsyncRelayCommand::executionTaskChanged, &context,
                     [&] { idAtStart = command.executionTask()->id(); });
    command.execute();
    QVERIFY(idAtStart != 0);
    QCOMPARE(command.executionTask()->id(), idAtStart);
    QCOMPARE(command.executionTask()->operation().id(), idAtStart);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->id(), idAtStart);
    QVERIFY(Testing::wait(command.executionTask()->operation()));
    QCOMPARE(command.executionTask()->operation().status(), AsyncStatus::Completed);
}

void tst_CommandStart::isRunningStaysTrueUntilReturnedOperationEnds_C7()
{
    Gate gate;
    AsyncRelayCommand command([&gate] {
        (void)helperReturning(111);
        return helperWaiting(gate, 222);
    });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(), QStringList({QStringLiteral("isRunning=true")}));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_CommandStart::runProgressAndEndAreTheReturnedOperationsInEveryMode_C5_data()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::newRow("Reject") << ConcurrencyMode::Reject;
    QTest::newRow("Parallel") << ConcurrencyMode::Parallel;
    QTest::newRow("Restart") << ConcurrencyMode::Restart;
    QTest::newRow("Queue") << ConcurrencyMode::Queue;
}

void tst_CommandStart::runProgressAndEndAreTheReturnedOperationsInEveryMode_C5()
{
    QFETCH(ConcurrencyMode, mode);
    Gate helperGate;
    Gate realGate;
    std::vector<AsyncOperationWithProgress<int, int>> helpers;
    AsyncRelayCommand command([&](int value) {
        helpers.push_back(helperReporting(-value, helperGate));
        return reportingAfter(realGate, value, value * 10);
    });
    command.setConcurrency(mode);
    const AsyncAction run = command.executeAsync(4);
    ExecutionTask *task = command.executionTask();
    QTRY_COMPARE_WITH_TIMEOUT(task->progress(), QVariant(4), 5000);
    helperGate.open();
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    QCOMPARE(run.status(), AsyncStatus::Started);
    realGate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(task->result(), QVariant(40));
    QCOMPARE(task->progress(), QVariant(4));
    QVERIFY(!command.isRunning());
}

QTEST_GUILESS_MAIN(tst_CommandStart)

#include "tst_commandstart.moc"
