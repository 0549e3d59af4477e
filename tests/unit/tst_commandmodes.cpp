// SPDX-License-Identifier: MIT
// The rules of AsyncRelayCommand that hold "in every mode" (design.md C13, C14), checked for each
// ConcurrencyMode as a data row, and the multi-run notification sequences of each mode (docs/commands.md,
// "The other modes"). Expected sequences come from the documented contract, not from the implementation.
#include <QtCore/QMetaProperty>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QProperty>
#include <QtCore/QScopeGuard>
#include <QtCore/QSemaphore>
#include <QtCore/QStringList>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <array>
#include <memory>
#include <stop_token>
#include <string>

#include "moderows.h"
#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;

namespace {

// Bodies as free functions: deleting a command mid-run (C13) deletes its delegate, so a suspended body
// must not depend on the delegate's closure.

/*!
    Suspends on \a gate, hops to CommandKit's pool, tells the test it is there (\a onPool), and ends only
    when the test lets it (\a release), reporting progress on the way: its end (and that report) can be
    placed right after the command's deletion.
*/
AsyncOperationWithProgress<int, int> endOnPoolWhenReleased(Gate &gate, QSemaphore &onPool,
                                                           QSemaphore &release)
{
    auto progress = co_await getProgressToken();
    co_await gate;
    co_await resumeBackground();
    onPool.release();
    // A hand-off, not a sleep: the test releases it right after the delete (its scope guard on failure).
    (void)release.tryAcquire(1, 5000);
    progress(1);
    co_return 1;
}

/*! Runs what the deleted command may have posted (deferred deletes, queued ends): ASan watches. */
void flushEvents()
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
}

QStringList list(std::initializer_list<const char *> items)
{
    QStringList result;
    for (const char *item : items)
        result << QString::fromLatin1(item);
    return result;
}

/*! A recorded sequence as one line: a failed comparison shows both sequences whole. */
QString joined(const QStringList &changes)
{
    return changes.join(QStringLiteral(", "));
}

/*! An expected sequence, written as \c joined() shows a recorded one. */
QString seq(std::initializer_list<const char *> items)
{
    return joined(list(items));
}

// The command's signals at the start of a run on an idle command (docs/commands.md, "One run"): in Reject
// mode canExecute turns false (and back to true at the end); the other modes keep it true while running.
QStringList startOf(ConcurrencyMode mode)
{
    QStringList start = list({"executionTask=object", "isRunning=true", "canBeCanceled=true"});
    if (mode == ConcurrencyMode::Reject)
        start << QStringLiteral("canExecute=false");
    return start;
}

} // namespace

class tst_CommandModes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // C13 lifetime, in every mode
    void deletingCommandMidRunCancelsOperationEndingWithBody_C13_data() { addModeRows(); }
    void deletingCommandMidRunCancelsOperationEndingWithBody_C13();
    void deletingCommandWithSecondRunCancelsEveryOperation_C13_data();
    void deletingCommandWithSecondRunCancelsEveryOperation_C13();
    void runEndingOnPoolRightAfterDeleteTouchesNothing_C13_data() { addModeRows(); }
    void runEndingOnPoolRightAfterDeleteTouchesNothing_C13();

    // C14 notifications of one run, in every mode
    void completedRunNotifiesInDocumentedOrder_C14_data();
    void completedRunNotifiesInDocumentedOrder_C14();
    void failedRunNotifiesInDocumentedOrder_C14_data();
    void failedRunNotifiesInDocumentedOrder_C14();
    void canceledRunNotifiesInDocumentedOrder_C14_data();
    void canceledRunNotifiesInDocumentedOrder_C14();

    // C14 notifications of several runs, mode by mode
    void rejectRefusedRunNotifiesNothing_C14();
    void parallelOverlappingRunsNotifyIsRunningOnce_C14();
    void restartSwitchKeepsIsRunningAndChangesTaskOnce_C14_data();
    void restartSwitchKeepsIsRunningAndChangesTaskOnce_C14();
    void restartTurnsReplacedTaskCanceledAtOnce_C14_data();
    void restartTurnsReplacedTaskCanceledAtOnce_C14();
    void queueRunsNotifyIsRunningOnceAndTaskPerStart_C14();

    // C8 Parallel mode's maxConcurrency
    void maxConcurrencyIsUnlimitedByDefaultBindableAndNotifying_C8();
    void parallelRunsPastMaxConcurrencyWaitAndStartInOrder_C8();
    void waitingRunGetsItsTaskWhenItStarts_C8();
    void cancelingWaitingRunEndsItCanceledWithoutStartingIt_C8();
    void cancelEndsWaitingRunsWithoutStartingThem_C8();
    void raisingMaxConcurrencyStartsWaitingRuns_C8();
    void maxConcurrencyCountsRunsThatFail_C8();
    void deletingCommandEndsWaitingRunsCanceled_C8();
    void maxConcurrencyDoesNotApplyOutsideParallel_C8();
    void longQueueOfInstantRunsDrainsAtConstantStackDepth_C8();
};

// --------------------------------------------------------------------------------------------- C13

void tst_CommandModes::deletingCommandMidRunCancelsOperationEndingWithBody_C13()
{
    QFETCH(ConcurrencyMode, mode);
    Gate gate;
    std::stop_token stop;
    auto command = std::make_unique<AsyncRelayCommand>([&](std::stop_token token) {
        stop = token;
        return waitOn(gate);
    });
    const auto unwind = qScopeGuard([&] { gate.open(); }); // also when a check below fails
    command->setConcurrency(mode);
    const AsyncAction run = command->executeAsync();
    QVERIFY(gate.isWaiting());
    QPointer<ExecutionTask> task = command->executionTask();

    command.reset();                               // delete, mid-run
    QCOMPARE(run.status(), AsyncStatus::Canceled); // the run is canceled at once...
    QVERIFY(run.isRunning());                      // ...and runs until its body has unwound (C10, A5)
    QVERIFY(stop.stop_requested());
    QVERIFY(task.isNull()); // nothing of the command is left behind

    gate.open(); // the body unwinds after its command is gone (ASan watches)
    QVERIFY(!run.isRunning());
    flushEvents();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
}

void tst_CommandModes::deletingCommandWithSecondRunCancelsEveryOperation_C13_data()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::addColumn<int>("delegateCalls"); // how many runs the second executeAsync() leaves started
    QTest::newRow("Reject: second refused") << ConcurrencyMode::Reject << 1;
    QTest::newRow("Parallel: two runs") << ConcurrencyMode::Parallel << 2;
    QTest::newRow("Restart: first canceled, second runs") << ConcurrencyMode::Restart << 2;
    QTest::newRow("Queue: second queued") << ConcurrencyMode::Queue << 1;
}

void tst_CommandModes::deletingCommandWithSecondRunCancelsEveryOperation_C13()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(int, delegateCalls);
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    int calls = 0;
    auto command = std::make_unique<AsyncRelayCommand>([&] { return waitOn(*gates[calls++]); });
    const auto unwind = qScopeGuard([&] {
        first.open();
        second.open();
    });
    command->setConcurrency(mode);
    const AsyncAction firstRun = command->executeAsync();
    const AsyncAction secondRun = command->executeAsync();
    QCOMPARE(calls, delegateCalls);

    command.reset(); // delete, mid-run
    QCOMPARE(firstRun.status(), AsyncStatus::Canceled);
    QCOMPARE(secondRun.status(), AsyncStatus::Canceled);
    // C10: an operation whose body started ends when that body has unwound; a refused or queued one
    // never ran and has ended already.
    QVERIFY(firstRun.isRunning());
    QCOMPARE(secondRun.isRunning(), delegateCalls == 2);

    first.open(); // the started bodies unwind after their command is gone
    second.open();
    QVERIFY(!firstRun.isRunning());
    QVERIFY(!secondRun.isRunning());
    flushEvents();
    QCOMPARE(calls, delegateCalls); // a queued run never starts once its command is gone
    QCOMPARE(firstRun.status(), AsyncStatus::Canceled);
    QCOMPARE(secondRun.status(), AsyncStatus::Canceled);
}

void tst_CommandModes::runEndingOnPoolRightAfterDeleteTouchesNothing_C13()
{
    QFETCH(ConcurrencyMode, mode);
    Gate gate;
    QSemaphore onPool;
    QSemaphore release;
    AsyncOperationWithProgress<int, int> body;
    auto command = std::make_unique<AsyncRelayCommand>([&] {
        body = endOnPoolWhenReleased(gate, onPool, release);
        return body;
    });
    command->setConcurrency(mode);
    const AsyncAction run = command->executeAsync();
    // Whatever happens below, the body must not outlive the semaphores and the gate it uses.
    const auto joinBody = qScopeGuard([&] {
        gate.open();
        release.release();
        (void)QTest::qWaitFor([&] { return !body.isValid() || !body.isRunning(); }, 5000);
    });
    QVERIFY(body.isValid());
    gate.open();                         // the body hops to the pool...
    QVERIFY(onPool.tryAcquire(1, 5000)); // ...and is there now,
    command.reset();                     // its command goes away here,
    release.release();                   // and right after, it reports progress and ends on the pool.
    // Polled, not Testing::wait(body): the body ends on the pool concurrently, and Testing::wait() leaks
    // its continuation when the end falls between its isRunning() check and its registration.
    QTRY_VERIFY_WITH_TIMEOUT(!body.isRunning(), 5000);
    flushEvents();
    QCOMPARE(run.status(), AsyncStatus::Canceled); // its end was never processed by the command
    QVERIFY(!run.isRunning());
    QCOMPARE(body.status(), AsyncStatus::Canceled);
}

// --------------------------------------------------------------------------------------------- C14

void tst_CommandModes::completedRunNotifiesInDocumentedOrder_C14_data()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::addColumn<QStringList>("atEnd");
    QTest::newRow("Reject") << ConcurrencyMode::Reject
                            << list({"isRunning=false", "canBeCanceled=false", "canExecute=true"});
    QTest::newRow("Parallel") << ConcurrencyMode::Parallel
                              << list({"isRunning=false", "canBeCanceled=false"});
    QTest::newRow("Restart") << ConcurrencyMode::Restart << list({"isRunning=false", "canBeCanceled=false"});
    QTest::newRow("Queue") << ConcurrencyMode::Queue << list({"isRunning=false", "canBeCanceled=false"});
}

void tst_CommandModes::completedRunNotifiesInDocumentedOrder_C14()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(QStringList, atEnd);
    Gate gate;
    AsyncRelayCommand command([&gate] { return valueAfter(gate, 7); });
    command.setConcurrency(mode);
    Testing::PropertyRecorder recorder(&command); // every notifying property
    const AsyncAction run = command.executeAsync();
    QCOMPARE(joined(recorder.changes()), joined(startOf(mode)));

    recorder.clear();
    ExecutionTask *task = command.executionTask();
    Testing::PropertyRecorder taskRecorder(task);
    QStringList commandWhenTaskEnded;
    connect(task, &ExecutionTask::isRunningChanged, this, [&] { commandWhenTaskEnded = recorder.changes(); });
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(joined(taskRecorder.changes()), seq({"result=7", "status=Completed", "isRunning=false"}));
    QCOMPARE(joined(commandWhenTaskEnded), QString()); // the task's own signals come first
    QCOMPARE(joined(recorder.changes()), joined(atEnd));
}

void tst_CommandModes::failedRunNotifiesInDocumentedOrder_C14_data()
{
    completedRunNotifiesInDocumentedOrder_C14_data();
}

void tst_CommandModes::failedRunNotifiesInDocumentedOrder_C14()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(QStringList, atEnd);
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "boom"); });
    command.setConcurrency(mode);
    Testing::PropertyRecorder recorder(&command);
    const AsyncAction run = command.executeAsync();
    QCOMPARE(joined(recorder.changes()), joined(startOf(mode)));

    recorder.clear();
    ExecutionTask *task = command.executionTask();
    Testing::PropertyRecorder taskRecorder(task);
    QStringList commandWhenTaskEnded;
    connect(task, &ExecutionTask::isRunningChanged, this, [&] { commandWhenTaskEnded = recorder.changes(); });
    QStringList commandAtErrorOccurred;
    int errorOccurred = 0;
    connect(&command, &Command::errorOccurred, this, [&] {
        ++errorOccurred;
        commandAtErrorOccurred = recorder.changes();
    });
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(joined(taskRecorder.changes()), seq({"errorString=boom", "status=Error", "isRunning=false"}));
    QCOMPARE(joined(commandWhenTaskEnded), QString());
    // C18: a failure sets lastError with the end's other values; its signal comes just before canExecute's.
    QStringList failedAtEnd = atEnd;
    const qsizetype canExecuteAt = failedAtEnd.indexOf(QStringLiteral("canExecute=true"));
    failedAtEnd.insert(canExecuteAt < 0 ? failedAtEnd.size() : canExecuteAt,
                       QStringLiteral("lastError=boom"));
    QCOMPARE(joined(recorder.changes()), joined(failedAtEnd));
    QCOMPARE(errorOccurred, 1);
    QCOMPARE(joined(commandAtErrorOccurred),
             joined(failedAtEnd)); // errorOccurred follows every property signal of the end
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommandModes::canceledRunNotifiesInDocumentedOrder_C14_data()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::addColumn<QStringList>("atEnd");
    // canBeCanceled already turned false at cancel(); isCancellationRequested stays true after the end.
    QTest::newRow("Reject") << ConcurrencyMode::Reject << list({"isRunning=false", "canExecute=true"});
    QTest::newRow("Parallel") << ConcurrencyMode::Parallel << list({"isRunning=false"});
    QTest::newRow("Restart") << ConcurrencyMode::Restart << list({"isRunning=false"});
    QTest::newRow("Queue") << ConcurrencyMode::Queue << list({"isRunning=false"});
}

void tst_CommandModes::canceledRunNotifiesInDocumentedOrder_C14()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(QStringList, atEnd);
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    command.setConcurrency(mode);
    QSignalSpy errorOccurred(&command, &Command::errorOccurred);
    Testing::PropertyRecorder recorder(&command);
    const AsyncAction run = command.executeAsync();
    QCOMPARE(joined(recorder.changes()), joined(startOf(mode)));

    recorder.clear();
    ExecutionTask *task = command.executionTask();
    Testing::PropertyRecorder taskRecorder(task);
    QStringList commandWhenTaskCanceled;
    connect(task, &ExecutionTask::statusChanged, this, [&] { commandWhenTaskCanceled = recorder.changes(); });
    command.cancel();
    // docs/commands.md: isCancellationRequestedChanged, executionTask.statusChanged, canBeCanceledChanged.
    QCOMPARE(joined(recorder.changes()), seq({"isCancellationRequested=true", "canBeCanceled=false"}));
    QCOMPARE(joined(commandWhenTaskCanceled), seq({"isCancellationRequested=true"}));
    const QString cancellation = task->errorString(); // the cancellation message (ExecutionTask::errorString)
    QVERIFY2(cancellation.contains(QLatin1String("cancel")), qPrintable(cancellation));
    QCOMPARE(joined(taskRecorder.changes()),
             joined(QStringList(
                 {QStringLiteral("errorString=") + cancellation, QStringLiteral("status=Canceled")})));

    recorder.clear();
    taskRecorder.clear();
    QStringList commandWhenTaskEnded;
    connect(task, &ExecutionTask::isRunningChanged, this, [&] { commandWhenTaskEnded = recorder.changes(); });
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(joined(taskRecorder.changes()), seq({"isRunning=false"}));
    QCOMPARE(joined(commandWhenTaskEnded), QString());
    QCOMPARE(joined(recorder.changes()), joined(atEnd));
    QCOMPARE(errorOccurred.count(), 0); // cancellation is not an error
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommandModes::rejectRefusedRunNotifiesNothing_C14()
{
    Gate gate;
    int calls = 0;
    AsyncRelayCommand command([&] {
        ++calls;
        return waitOn(gate);
    });
    const AsyncAction running = command.executeAsync();
    Testing::PropertyRecorder recorder(&command);
    Testing::PropertyRecorder taskRecorder(command.executionTask());
    const AsyncAction refused = command.executeAsync();
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QCOMPARE(joined(recorder.changes()), QString()); // a refused run changes nothing
    QCOMPARE(joined(taskRecorder.changes()), QString());
    gate.open();
    QVERIFY(Testing::wait(running));
    QCOMPARE(joined(recorder.changes()), seq({"isRunning=false", "canBeCanceled=false", "canExecute=true"}));
    QCOMPARE(calls, 1);
}

void tst_CommandModes::parallelOverlappingRunsNotifyIsRunningOnce_C14()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Parallel);
    Testing::PropertyRecorder recorder(&command);
    const AsyncAction firstRun = command.executeAsync(0);
    QPointer<ExecutionTask> firstTask = command.executionTask();
    const AsyncAction secondRun = command.executeAsync(1);
    ExecutionTask *secondTask = command.executionTask();
    QVERIFY(secondTask != firstTask.data());
    // The second start changes only executionTask: the command was already running and cancelable.
    QCOMPARE(joined(recorder.changes()),
             seq({"executionTask=object", "isRunning=true", "canBeCanceled=true", "executionTask=object"}));

    recorder.clear();
    Testing::PropertyRecorder firstTaskRecorder(firstTask.data());
    first.open(); // the older run ends while the newer one runs: nothing changes on the command
    QVERIFY(Testing::wait(firstRun));
    QVERIFY(!firstTask.isNull()); // kept alive until its run had ended
    QCOMPARE(joined(firstTaskRecorder.changes()), seq({"status=Completed", "isRunning=false"}));
    QCOMPARE(joined(recorder.changes()), QString());
    QCOMPARE(command.executionTask(), secondTask);

    second.open(); // the last one ends: isRunning turns false once
    QVERIFY(Testing::wait(secondRun));
    QCOMPARE(joined(recorder.changes()), seq({"isRunning=false", "canBeCanceled=false"}));
}

void tst_CommandModes::restartSwitchKeepsIsRunningAndChangesTaskOnce_C14_data()
{
    QTest::addColumn<bool>("withOperation");
    QTest::newRow("execute") << false;
    QTest::newRow("executeAsync") << true;
}

void tst_CommandModes::restartSwitchKeepsIsRunningAndChangesTaskOnce_C14()
{
    QFETCH(bool, withOperation);
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Restart);
    Testing::PropertyRecorder recorder(&command);
    if (withOperation)
        (void)command.executeAsync(0);
    else
        command.execute(0);
    const AsyncAction firstRun = command.executionTask()->operation();
    QCOMPARE(joined(recorder.changes()),
             seq({"executionTask=object", "isRunning=true", "canBeCanceled=true"}));

    recorder.clear();
    if (withOperation)
        (void)command.executeAsync(1);
    else
        command.execute(1);
    const AsyncAction secondRun = command.executionTask()->operation();
    QCOMPARE(firstRun.status(), AsyncStatus::Canceled);
    // The switch: the new run's task, nothing else. isRunning and canBeCanceled stay true, and the restart
    // is not a cancel() of the command: isCancellationRequested ("cancel() was called since the latest run
    // started") stays false instead of flickering true and back.
    QCOMPARE(joined(recorder.changes()), seq({"executionTask=object"}));

    recorder.clear();
    first.open(); // the canceled run ends while the new one runs: isRunning does not turn false
    QVERIFY(Testing::wait(firstRun));
    QCOMPARE(joined(recorder.changes()), QString());
    QVERIFY(command.isRunning());

    second.open();
    QVERIFY(Testing::wait(secondRun));
    QCOMPARE(joined(recorder.changes()), seq({"isRunning=false", "canBeCanceled=false"}));
    QCOMPARE(secondRun.status(), AsyncStatus::Completed);
}

void tst_CommandModes::restartTurnsReplacedTaskCanceledAtOnce_C14_data()
{
    restartSwitchKeepsIsRunningAndChangesTaskOnce_C14_data();
}

void tst_CommandModes::restartTurnsReplacedTaskCanceledAtOnce_C14()
{
    QFETCH(bool, withOperation);
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Restart);
    if (withOperation)
        (void)command.executeAsync(0);
    else
        command.execute(0);
    QPointer<ExecutionTask> firstTask = command.executionTask();
    const AsyncAction firstRun = firstTask->operation();
    Testing::PropertyRecorder taskRecorder(firstTask.data());
    if (withOperation)
        (void)command.executeAsync(1);
    else
        command.execute(1);
    // ExecutionTask: "status turns Canceled as soon as the command or this task cancels it", with the
    // cancellation message as errorString; its body has not unwound yet, so it is still running.
    QCOMPARE(firstRun.status(), AsyncStatus::Canceled);
    QVERIFY(!firstTask.isNull());
    QCOMPARE(firstTask->status(), AsyncStatus::Canceled);
    QCOMPARE(joined(taskRecorder.changes()),
             joined({QStringLiteral("errorString=") + firstTask->errorString(),
                     QStringLiteral("status=Canceled")}));
    QVERIFY(firstTask->isRunning());
    first.open();
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_CommandModes::queueRunsNotifyIsRunningOnceAndTaskPerStart_C14()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Queue);
    Testing::PropertyRecorder recorder(&command);
    const AsyncAction firstRun = command.executeAsync(0);
    ExecutionTask *firstTask = command.executionTask();
    const AsyncAction secondRun = command.executeAsync(1); // queued: nothing changes yet
    QCOMPARE(command.executionTask(), firstTask);
    QCOMPARE(joined(recorder.changes()),
             seq({"executionTask=object", "isRunning=true", "canBeCanceled=true"}));

    recorder.clear();
    first.open(); // the first ends and the queued one starts: only executionTask changes
    QVERIFY(Testing::wait(firstRun));
    QVERIFY(second.isWaiting());
    QCOMPARE(command.executionTask()->id(), secondRun.id());
    QCOMPARE(joined(recorder.changes()), seq({"executionTask=object"}));

    recorder.clear();
    second.open(); // the queue is empty: isRunning turns false once
    QVERIFY(Testing::wait(secondRun));
    QCOMPARE(joined(recorder.changes()), seq({"isRunning=false", "canBeCanceled=false"}));
}

// ------------------------------------------------------------------------ C8 maxConcurrency

namespace {

/*! A Parallel command whose run i waits on gates[i] and records that it started. */
struct LimitedCommand
{
    std::array<std::unique_ptr<Gate>, 8> gates;
    QList<int> started;
    std::unique_ptr<AsyncRelayCommand> command;

    explicit LimitedCommand(int limit)
    {
        for (auto &gate : gates)
            gate = std::make_unique<Gate>();
        command = std::make_unique<AsyncRelayCommand>([this](int i) {
            started << i;
            return waitOn(*gates[std::size_t(i)]);
        });
        command->setConcurrency(ConcurrencyMode::Parallel);
        command->setMaxConcurrency(limit);
    }
    ~LimitedCommand()
    {
        command.reset();
        for (auto &gate : gates)
            gate->open(); // a canceled body still waits on its gate (the gate ignores cancel)
    }
};

} // namespace

void tst_CommandModes::maxConcurrencyIsUnlimitedByDefaultBindableAndNotifying_C8()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    QCOMPARE(command.maxConcurrency(), 0);
    const QMetaProperty property =
        command.metaObject()->property(command.metaObject()->indexOfProperty("maxConcurrency"));
    QVERIFY(property.isValid());
    QVERIFY(property.isBindable());
    QVERIFY(property.isWritable());
    QVERIFY(property.hasNotifySignal());
    QSignalSpy spy(&command, &AsyncRelayCommand::maxConcurrencyChanged);
    command.setMaxConcurrency(2);
    command.setMaxConcurrency(2);
    QCOMPARE(spy.count(), 1);
    command.setMaxConcurrency(-3); // stored as 0
    QCOMPARE(command.maxConcurrency(), 0);
    QCOMPARE(spy.count(), 2);
    QProperty<int> source(3);
    command.bindableMaxConcurrency().setBinding([&] { return source.value(); });
    QCOMPARE(command.maxConcurrency(), 3);
    source = 4;
    QCOMPARE(command.maxConcurrency(), 4);
    QCOMPARE(spy.count(), 4);
    QVERIFY(property.write(&command, 1));
    QCOMPARE(command.maxConcurrency(), 1);
}

void tst_CommandModes::parallelRunsPastMaxConcurrencyWaitAndStartInOrder_C8()
{
    LimitedCommand limited(2);
    AsyncRelayCommand &command = *limited.command;
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    QList<AsyncAction> runs;
    for (int i = 0; i < 5; ++i) {
        QVERIFY(command.canExecuteWith(i)); // waiting does not refuse
        runs << command.executeAsync(i);
    }
    QCOMPARE(limited.started, QList<int>({0, 1}));
    for (const AsyncAction &run : runs)
        QCOMPARE(run.status(), AsyncStatus::Started);
    limited.gates[1]->open(); // an earlier run ends: the first waiting one starts
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 1, 2}), 5000);
    limited.gates[0]->open();
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 1, 2, 3}), 5000);
    QVERIFY(command.isRunning());
    limited.gates[3]->open();
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 1, 2, 3, 4}), 5000);
    limited.gates[2]->open();
    limited.gates[4]->open();
    QVERIFY(Testing::waitUntilIdle(&command));
    for (const AsyncAction &run : runs)
        QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(recorder.changes(), list({"isRunning=true", "isRunning=false"}));
}

void tst_CommandModes::waitingRunGetsItsTaskWhenItStarts_C8()
{
    LimitedCommand limited(1);
    AsyncRelayCommand &command = *limited.command;
    const AsyncAction first = command.executeAsync(0);
    ExecutionTask *firstTask = command.executionTask();
    QSignalSpy taskSpy(&command, &AsyncRelayCommand::executionTaskChanged);
    const AsyncAction waiting = command.executeAsync(1);
    QCOMPARE(command.executionTask(), firstTask);
    QCOMPARE(taskSpy.count(), 0);
    limited.gates[0]->open();
    QTRY_COMPARE_WITH_TIMEOUT(taskSpy.count(), 1, 5000);
    QCOMPARE(command.executionTask()->id(), waiting.id());
    QVERIFY(command.executionTask()->isRunning());
    QVERIFY(command.canBeCanceled());
    limited.gates[1]->open();
    QVERIFY(Testing::wait(waiting));
    QCOMPARE(waiting.status(), AsyncStatus::Completed);
    QCOMPARE(first.status(), AsyncStatus::Completed);
}

void tst_CommandModes::cancelingWaitingRunEndsItCanceledWithoutStartingIt_C8()
{
    LimitedCommand limited(1);
    AsyncRelayCommand &command = *limited.command;
    const AsyncAction first = command.executeAsync(0);
    const AsyncAction waiting = command.executeAsync(1);
    const AsyncAction after = command.executeAsync(2);
    waiting.cancel();
    QVERIFY(Testing::wait(waiting));
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    QCOMPARE(first.status(), AsyncStatus::Started); // the others go on
    QCOMPARE(after.status(), AsyncStatus::Started);
    limited.gates[0]->open();
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 2}), 5000); // 1 never starts
    limited.gates[2]->open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(after.status(), AsyncStatus::Completed);
    QCOMPARE(limited.started, QList<int>({0, 2}));
}

void tst_CommandModes::cancelEndsWaitingRunsWithoutStartingThem_C8()
{
    LimitedCommand limited(1);
    AsyncRelayCommand &command = *limited.command;
    const AsyncAction first = command.executeAsync(0);
    const AsyncAction second = command.executeAsync(1);
    command.execute(2);
    command.cancel();
    QCOMPARE(first.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(second));
    QCOMPARE(second.status(), AsyncStatus::Canceled);
    QVERIFY(command.isRunning()); // until the canceled body unwinds (C7)
    limited.gates[0]->open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(limited.started, QList<int>({0}));
    QVERIFY(command.isCancellationRequested());
}

void tst_CommandModes::raisingMaxConcurrencyStartsWaitingRuns_C8()
{
    LimitedCommand limited(1);
    AsyncRelayCommand &command = *limited.command;
    for (int i = 0; i < 4; ++i)
        command.execute(i);
    QCOMPARE(limited.started, QList<int>({0}));
    command.setMaxConcurrency(3);
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 1, 2}), 5000);
    command.setMaxConcurrency(1); // lowering stops nothing
    QCoreApplication::processEvents();
    QCOMPARE(limited.started, QList<int>({0, 1, 2}));
    limited.gates[0]->open();
    limited.gates[1]->open();
    QCoreApplication::processEvents();
    QCOMPARE(limited.started, QList<int>({0, 1, 2})); // 2 still runs: at the limit
    command.setMaxConcurrency(0);                     // no limit
    QTRY_COMPARE_WITH_TIMEOUT(limited.started, QList<int>({0, 1, 2, 3}), 5000);
    limited.gates[2]->open();
    limited.gates[3]->open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_CommandModes::maxConcurrencyCountsRunsThatFail_C8()
{
    UnhandledErrors errors;
    Gate gate;
    QList<int> started;
    AsyncRelayCommand command([&](int i) -> AsyncAction {
        started << i;
        if (i == 1)
            throw std::runtime_error("fails at once");
        co_await gate;
    });
    QObject::connect(&command, &Command::errorOccurred, &command, [] {});
    command.setConcurrency(ConcurrencyMode::Parallel);
    command.setMaxConcurrency(1);
    const AsyncAction failing = command.executeAsync(1);
    const AsyncAction next = command.executeAsync(2);
    QVERIFY(Testing::wait(failing));
    QCOMPARE(failing.status(), AsyncStatus::Error);
    QTRY_COMPARE_WITH_TIMEOUT(started, QList<int>({1, 2}), 5000); // the failed run made room
    gate.open();
    QVERIFY(Testing::wait(next));
    QCOMPARE(next.status(), AsyncStatus::Completed);
}

void tst_CommandModes::deletingCommandEndsWaitingRunsCanceled_C8()
{
    LimitedCommand limited(1);
    const AsyncAction first = limited.command->executeAsync(0);
    const AsyncAction waiting = limited.command->executeAsync(1);
    limited.command.reset();
    QVERIFY(Testing::wait(waiting));
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    limited.gates[0]->open();
    QVERIFY(Testing::wait(first));
    QCOMPARE(first.status(), AsyncStatus::Canceled);
    QCOMPARE(limited.started, QList<int>({0}));
}

void tst_CommandModes::maxConcurrencyDoesNotApplyOutsideParallel_C8()
{
    LimitedCommand limited(1);
    AsyncRelayCommand &command = *limited.command;
    command.setMaxConcurrency(1);
    command.setConcurrency(ConcurrencyMode::Restart);
    const AsyncAction first = command.executeAsync(0);
    const AsyncAction second = command.executeAsync(1); // restarts at once
    QCOMPARE(limited.started, QList<int>({0, 1}));
    QCOMPARE(first.status(), AsyncStatus::Canceled);
    limited.gates[0]->open();
    limited.gates[1]->open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(second.status(), AsyncStatus::Completed);
}

QTEST_GUILESS_MAIN(tst_CommandModes)
// C8: a queue of runs that end as soon as they start drains one after the other, not by each end
// starting the next from inside itself: 20,000 of them would need far more than a thread's stack.
void tst_CommandModes::longQueueOfInstantRunsDrainsAtConstantStackDepth_C8()
{
    Gate gate;
    int ran = 0;
    AsyncRelayCommand command([&gate, &ran](bool wait) -> AsyncAction {
        ++ran;
        if (wait)
            co_await gate;
    });
    command.setConcurrency(ConcurrencyMode::Queue);
    const AsyncAction first = command.executeAsync(true);
    constexpr int queued = 20000;
    AsyncAction last;
    for (int i = 0; i < queued; ++i)
        last = command.executeAsync(false);
    gate.open();
    QVERIFY(Testing::wait(last));
    QCOMPARE(ran, queued + 1);
    QVERIFY(!command.isRunning());
}

#include "tst_commandmodes.moc"
