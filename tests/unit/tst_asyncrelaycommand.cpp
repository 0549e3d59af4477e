// SPDX-License-Identifier: MIT
// Unit tests of AsyncRelayCommand, ExecutionTask and the testing helpers (design.md C5–C15).
#include <QtCore/QMetaMethod>
#include <QtCore/QMetaProperty>
#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QPoint>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QProperty>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <thread>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <type_traits>

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;
using namespace std::chrono_literals;

static_assert(std::is_base_of_v<Command, AsyncRelayCommand>);
static_assert(!std::is_copy_constructible_v<AsyncRelayCommand> &&
              !std::is_move_constructible_v<AsyncRelayCommand>);
static_assert(!std::is_copy_constructible_v<ExecutionTask>);

namespace {

// Bodies as free functions: a delegate that returns one of these does not depend on its own captures
// once the body is suspended (C13 deletes the command, and the delegate with it, mid-run).

AsyncOperationWithProgress<int, int> poolRun(Gate &gate, int value)
{
    auto progress = co_await getProgressToken();
    co_await gate;
    co_await resumeBackground();
    progress(value);
    co_return value;
}

AsyncOperationWithProgress<int, int> reportTwice(int value, Gate &between, Gate &after)
{
    auto progress = co_await getProgressToken();
    progress(value);
    co_await between;
    progress(value);
    co_await after;
    co_return value;
}

AsyncOperation<int> awaitRun(AsyncAction run)
{
    co_await run;
    co_return 1;
}

// Two bodies of the same type with frames of very different sizes.
AsyncOperation<int> smallFrame(int value)
{
    co_return value;
}

AsyncOperation<int> bigFrame(int value)
{
    std::array<int, 1024> scratch{}; // lives across the co_await, so it is part of the frame
    scratch[std::size_t(value) % scratch.size()] = value;
    co_await std::suspend_never{};
    co_return scratch[std::size_t(value) % scratch.size()] * 10;
}

const QStringList commandState = {QStringLiteral("executionTask"), QStringLiteral("isRunning"),
                                  QStringLiteral("canBeCanceled"), QStringLiteral("isCancellationRequested"),
                                  QStringLiteral("canExecute")};

// C14: what a slot connected to any state signal reads, compared with the state after the step.
QString stateOf(AsyncRelayCommand &command)
{
    ExecutionTask *task = command.executionTask();
    return QStringLiteral("task=%1 isRunning=%2 canBeCanceled=%3 isCancellationRequested=%4 canExecute=%5 "
                          "canExecuteWith(1)=%6 task.status=%7 task.isRunning=%8 task.errorString=%9")
        .arg(task ? QString::number(task->id()) : QStringLiteral("null"))
        .arg(command.isRunning())
        .arg(command.canBeCanceled())
        .arg(command.isCancellationRequested())
        .arg(command.canExecute())
        .arg(command.canExecuteWith(1))
        .arg(task ? int(task->status()) : -1)
        .arg(task ? task->isRunning() : false)
        .arg(task ? task->errorString() : QString());
}

/*! Connects a slot to every state signal of the command (and of \a task) that records stateOf(). */
QList<QPair<QString, QString>> *watchState(QObject *context, AsyncRelayCommand &command,
                                           ExecutionTask *task = nullptr)
{
    auto *seen = new QList<QPair<QString, QString>>();
    QObject::connect(context, &QObject::destroyed, [seen] { delete seen; });
    const auto record = [seen, &command](const char *name) {
        return [seen, &command, name] { seen->append({QString::fromLatin1(name), stateOf(command)}); };
    };
    QObject::connect(&command, &AsyncRelayCommand::executionTaskChanged, context,
                     record("executionTaskChanged"));
    QObject::connect(&command, &AsyncRelayCommand::isRunningChanged, context, record("isRunningChanged"));
    QObject::connect(&command, &AsyncRelayCommand::canBeCanceledChanged, context,
                     record("canBeCanceledChanged"));
    QObject::connect(&command, &AsyncRelayCommand::isCancellationRequestedChanged, context,
                     record("isCancellationRequestedChanged"));
    QObject::connect(&command, &Command::canExecuteChanged, context, record("canExecuteChanged"));
    if (task) {
        QObject::connect(task, &ExecutionTask::statusChanged, context, record("task.statusChanged"));
        QObject::connect(task, &ExecutionTask::isRunningChanged, context, record("task.isRunningChanged"));
        QObject::connect(task, &ExecutionTask::resultChanged, context, record("task.resultChanged"));
        QObject::connect(task, &ExecutionTask::errorStringChanged, context,
                         record("task.errorStringChanged"));
    }
    return seen;
}

/*! The signals whose slot read something else than \a final, with what they read. */
QStringList notFinal(const QList<QPair<QString, QString>> &seen, const QString &final)
{
    QStringList wrong;
    for (const auto &[signal, state] : seen) {
        if (state != final)
            wrong << signal + QStringLiteral(": ") + state;
    }
    return wrong;
}

} // namespace

/*! Deletes its target from a slot: a viewmodel that drops a command from one of the command's signals. */
class Deleter : public QObject
{
    Q_OBJECT

public:
    QPointer<QObject> target;

public Q_SLOTS:
    void deleteTarget() { delete target.data(); }
};

class tst_AsyncRelayCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // C5 delegates
    void runsDelegateTakingNothing_C5();
    void runsDelegateTakingParameterWithResult_C5();
    void runsDelegateTakingStopToken_C5();
    void runsDelegateTakingParameterAndStopToken_C5();
    void cancelStopsDelegatesStopToken_C5();
    void delegateReturningExistingOperationEndsWithIt_C5();
    void runsDelegateReturningQFuture_C5();
    void cancelCancelsDelegatesQFuture_C5();
    void runsDelegateReturningQCoroTask_C5();
    void qcoroTaskWithoutTokenCannotBeCanceled_C5();
    void qcoroTaskWithTokenCanBeCanceled_C5();

    // C6 state
    void statePropertiesAreBindableAndNotifying_C6();
    void executionTaskIsNullUntilFirstRun_C6();
    void executionTaskIdEqualsExecuteAsyncOperationId_C6();
    void executionTaskReportsProgress_C6();
    void progressStartsAsTheProgressTypesDefault_C6();
    void firstReportOfTheDefaultValueSetsHasProgress_C6();
    void executionTaskReportsResult_C6();
    void executionTaskReportsErrorString_C6();
    void executionTaskReportsStatus_C6();
    void executionTaskCancelCancelsItsRun_C6();
    void executionTaskIsKeptAfterRunEnds_C6();
    void replacedExecutionTaskIsDeleted_C6();
    void runNobodyAsksAboutMakesNoTask_C6_P2();
    void taskMadeMidRunShowsTheRunSoFar_C6();
    void taskMadeAfterTheEndShowsHowItEnded_C6();
    void executionTaskReadLateIsTheLatestRun_C6_C8();
    void replacedRunReleasesItsResultUnread_P6();
    void executionTaskGetterInABindingFollowsRuns_C6();
    void executionTaskReadOnAnotherThreadIsNullWithAWarning_C12();
    void runsKeepTheirOutcomeWhateverTheirFrameSize_C6();
    void concurrencyNotifiesOncePerChange_C6();

    // C3 automatic canExecute, through an AsyncRelayCommand's bindable state
    void predicateReadingIsRunningFollowsIt_C3();

    // C7 order
    void isRunningAndExecutionTaskAreSetBeforeDelegateRuns_C7();
    void isRunningTurnsFalseOnceAfterCompletion_C7();
    void isRunningTurnsFalseOnceAfterError_C7();
    void isRunningTurnsFalseOnceAfterCancel_C7();
    void isRunningTurnsFalseOnceAfterSynchronousRun_C7();

    // C8 concurrency
    void rejectIsDefault_C8();
    void rejectCanExecuteIsFalseWhileRunning_C8();
    void rejectRequeriesParameterisedAnswerAtStartAndEnd_C8();
    void rejectExecuteWhileRunningStartsNothing_C8();
    void rejectExecuteAsyncWhileRunningReturnsCanceledOperation_C8();
    void parallelRunsOverlap_C8();
    void restartCancelsRunningRunAndStartsAtOnce_C8();
    void restartKeepsIsRunningTrueWhileNewRunRuns_C8();
    void restartLeavesARunWhoseBodyHasEndedAlone_C8();
    void queueRunsOneAfterAnotherInCallOrder_C8();

    // C9 errors
    void delegateThrowingBeforeFirstAwaitEndsError_C9();
    void delegateThrowingAfterFirstAwaitEndsError_C9();
    void nonCoroutineDelegateThrowingEndsError_C9();
    void unhandledRunErrorGoesToProcessWideHandler_C9();
    void cancellationIsNotAnError_C9();

    // C10 executeAsync
    void executeAsyncEndsWithRun_C10();
    void executeAsyncCarriesError_C10();
    void executeAsyncCarriesCancellation_C10();
    void executeAsyncCanBeAwaited_C10();
    void executeAsyncEndsAfterTheCommandIsIdle_C10();
    void awaitingExecuteAsyncSeesTheFinalState_C10();
    void queuedRunEndingInsideItsStartEndsItsOperationOnceIdle_C10_C8();
    void debouncedRunEndingInsideItsStartEndsItsOperationOnceIdle_C10_C22();
    void executeAsyncWhenCannotExecuteReturnsCanceledOperation_C10();
    void executeAsyncWithWrongParameterTypeReturnsCanceledOperation_C10();
    void deletingCommandEndsExecuteAsyncOnlyWhenBodyUnwinds_C10();

    // C11 cancel
    void cancelBeforeRunIsNoOp_C11();
    void cancelWhileRunningRequestsCancellation_C11();
    void cancelAfterRunIsNoOp_C11();
    void cancelDropsQueuedRuns_C11();
    void isCancellationRequestedStaysTrueUntilNextRun_C11();
    void cancelCommandIsSameObject_C11();
    void cancelCommandCanExecuteFollowsCanBeCanceled_C11();
    void cancelCommandCancelsRun_C11();
    void timeoutCancelsLongRun_C11();
    void runWithinTimeoutIsNotCanceled_C11();

    // C12 threads
    void notificationsArriveOnCommandThreadWhenBodyEndsOnPool_C12();
    void cancelFromWorkerThreadIsPostedToCommandThread_C12();
    void taskCancelFromWorkerThreadIsPostedToCommandThread_C12();
    void commandLivingOnWorkerThreadNotifiesThere_C12();

    // C13 lifetime
    void deletingCommandMidRunCancelsRun_C13();
    void deletingCommandWhileBodyEndsOnPoolIsSafe_C13();
    void deletingCommandWithPendingProgressIsSafe_C13();
    void deletingCommandCancelsQueuedRuns_C13();
    void deletingCommandFromItsOwnSignalIsSafe_C13_data();
    void deletingCommandFromItsOwnSignalIsSafe_C13();
    void delegateDeletingItsCommandIsSafe_C13();

    // C14 notifications
    void signalOrderAtStartAndEnd_C14();
    void signalOrderAtStartAfterCanceledRun_C14();
    void signalOrderOfSynchronousRun_C14();
    void taskSignalsPrecedeCommandSignalsAtEnd_C14();
    void lastProgressPrecedesTaskEndSignals_C14();
    void errorOccurredFollowsEndSignals_C14();
    void errorOccurredFollowsEndSignalsOfSynchronousFailure_C14();
    void everySignalAtStartSeesFinalState_C14_data();
    void everySignalAtStartSeesFinalState_C14();
    void everySignalAtEndSeesFinalState_C14_data();
    void everySignalAtEndSeesFinalState_C14();
    void everySignalAtFailedEndSeesFinalState_C14_data();
    void everySignalAtFailedEndSeesFinalState_C14();
    void everySignalOnCancelSeesFinalState_C14_data();
    void everySignalOnCancelSeesFinalState_C14();
    void canExecuteRevisionGoesUpWithEveryCanExecuteChanged_C3();
    void cancelNotifiesEachChangeOnce_C14();
    void progressChangedFiresOncePerRealChange_C14();

    // C15 testing helpers
    void waitReturnsTrueWhenOperationEnds_C15();
    void waitReturnsFalseOnTimeout_C15();
    void waitUntilIdleReturnsTrueWhenCommandIsIdle_C15();
    void waitUntilIdleReturnsFalseOnTimeout_C15();
    void propertyRecorderRecordsEveryNotifyingPropertyByDefault_C15();
    void propertyRecorderClearForgetsChanges_C15();
};

// ---------------------------------------------------------------------------------------------- C5

void tst_AsyncRelayCommand::runsDelegateTakingNothing_C5()
{
    int calls = 0;
    AsyncRelayCommand command([&]() -> AsyncAction {
        ++calls;
        co_return;
    });
    QVERIFY(command.parameterTypeName().isEmpty());
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(calls, 1);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::runsDelegateTakingParameterWithResult_C5()
{
    AsyncRelayCommand command([](int value) -> AsyncOperation<int> { co_return value * 2; });
    QCOMPARE(command.parameterTypeName(), QStringLiteral("int"));
    command.execute(QStringLiteral("21")); // converted as in C4
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(42));
}

void tst_AsyncRelayCommand::runsDelegateTakingStopToken_C5()
{
    std::optional<bool> possible;
    AsyncRelayCommand command([&](std::stop_token stop) -> AsyncAction {
        possible = stop.stop_possible();
        co_return;
    });
    QVERIFY(command.parameterTypeName().isEmpty());
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(possible.has_value());
    QCOMPARE(*possible, true);
}

void tst_AsyncRelayCommand::runsDelegateTakingParameterAndStopToken_C5()
{
    AsyncRelayCommand command([](const QString &text, std::stop_token stop) -> AsyncOperation<QString> {
        co_return stop.stop_requested() ? QString() : text.toUpper();
    });
    QCOMPARE(command.parameterTypeName(), QStringLiteral("QString"));
    command.execute(QStringLiteral("abc"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->result(), QVariant(QStringLiteral("ABC")));
}

void tst_AsyncRelayCommand::cancelStopsDelegatesStopToken_C5()
{
    Gate gate;
    std::stop_token seen;
    AsyncRelayCommand command([&](int, std::stop_token stop) {
        seen = stop;
        return waitOn(gate);
    });
    command.execute(1);
    QVERIFY(seen.stop_possible());
    QVERIFY(!seen.stop_requested());
    command.cancel();
    QVERIFY(seen.stop_requested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::delegateReturningExistingOperationEndsWithIt_C5()
{
    Gate gate;
    const AsyncOperation<int> existing = valueAfter(gate, 5);
    AsyncRelayCommand command([&existing] { return existing; });
    const AsyncAction run = command.executeAsync();
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(5));

    Gate second;
    const AsyncOperation<int> other = valueAfter(second, 6);
    AsyncRelayCommand cancelable([&other] { return other; });
    cancelable.execute();
    cancelable.cancel(); // reaches the operation the delegate returned
    QCOMPARE(other.status(), AsyncStatus::Canceled);
    second.open();
    QVERIFY(Testing::waitUntilIdle(&cancelable));
    QCOMPARE(cancelable.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_AsyncRelayCommand::runsDelegateReturningQFuture_C5()
{
    QPromise<int> promise;
    promise.start();
    AsyncRelayCommand command([&promise] { return promise.future(); });
    QVERIFY(command.isStoppable());
    command.execute();
    QVERIFY(command.isRunning());
    QVERIFY(command.canBeCanceled());
    promise.addResult(8);
    promise.finish();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(8));
}

void tst_AsyncRelayCommand::cancelCancelsDelegatesQFuture_C5()
{
    QPromise<int> promise;
    promise.start();
    AsyncRelayCommand command([&promise] { return promise.future(); });
    command.execute();
    command.cancel();
    QVERIFY(promise.isCanceled());
    promise.finish();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_AsyncRelayCommand::runsDelegateReturningQCoroTask_C5()
{
    Gate gate;
    AsyncRelayCommand command([&gate](int value) -> QCoro::Task<int> {
        co_await gate;
        co_return value + 1;
    });
    command.execute(2);
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(3));
}

void tst_AsyncRelayCommand::qcoroTaskWithoutTokenCannotBeCanceled_C5()
{
    Gate gate;
    AsyncRelayCommand command([&gate]() -> QCoro::Task<> { co_await gate; });
    QVERIFY(!command.isStoppable());
    command.execute();
    QVERIFY(command.isRunning());
    QVERIFY(!command.canBeCanceled());
    QVERIFY(!command.cancelCommand()->canExecute());
    command.cancel(); // does nothing
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Started);
    QVERIFY(!command.isCancellationRequested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::qcoroTaskWithTokenCanBeCanceled_C5()
{
    Gate gate;
    std::stop_token seen;
    AsyncRelayCommand command([&seen, &gate](std::stop_token stop) -> QCoro::Task<> {
        seen = stop;
        co_await gate;
    });
    QVERIFY(command.isStoppable());
    command.execute();
    QVERIFY(command.canBeCanceled());
    command.cancel();
    QVERIFY(seen.stop_requested());
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    gate.open(); // the task itself ignores the token; its run still ends Canceled
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

// ---------------------------------------------------------------------------------------------- C6

void tst_AsyncRelayCommand::statePropertiesAreBindableAndNotifying_C6()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    const QMetaObject *meta = command.metaObject();
    for (const char *name : {"executionTask", "isRunning", "canBeCanceled", "isCancellationRequested",
                             "concurrency", "canExecute"}) {
        const QMetaProperty property = meta->property(meta->indexOfProperty(name));
        QVERIFY2(property.isValid(), name);
        QVERIFY2(property.isBindable(), name);
        QVERIFY2(property.hasNotifySignal(), name);
    }
    const QMetaObject *taskMeta = &ExecutionTask::staticMetaObject;
    for (const char *name : {"id", "status", "isRunning", "progress", "result", "errorString"})
        QVERIFY2(taskMeta->property(taskMeta->indexOfProperty(name)).isValid(), name);
    QVERIFY(taskMeta->indexOfMethod("cancel()") >= 0);
}

void tst_AsyncRelayCommand::executionTaskIsNullUntilFirstRun_C6()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    QCOMPARE(command.executionTask(), nullptr);
    QVERIFY(!command.isRunning());
    QVERIFY(!command.canBeCanceled());
    QVERIFY(!command.isCancellationRequested());
    command.execute();
    QVERIFY(command.executionTask() != nullptr);
}

void tst_AsyncRelayCommand::executionTaskIdEqualsExecuteAsyncOperationId_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    QVERIFY(command.executionTask() != nullptr);
    QCOMPARE(command.executionTask()->id(), run.id());
    QVERIFY(command.executionTask()->operation() == run);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::executionTaskReportsProgress_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate]() -> AsyncOperationWithProgress<int, int> {
        auto progress = co_await getProgressToken();
        progress(1);
        progress(2);
        co_await gate;
        co_return 0;
    });
    // Reports made before the delegate returned reach the task as the latest of them (A7), before
    // execute() returns; counted from the task's start (C7).
    std::optional<QSignalSpy> progressChanged;
    QObject::connect(&command, &AsyncRelayCommand::executionTaskChanged, &command, [&] {
        progressChanged.emplace(command.executionTask(), &ExecutionTask::progressChanged);
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QCOMPARE(task->progress(), QVariant(2));
    QVERIFY(progressChanged && progressChanged->count() >= 1);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->progress(), QVariant(2));
}

void tst_AsyncRelayCommand::progressStartsAsTheProgressTypesDefault_C6()
{
    Gate gates[3];
    AsyncRelayCommand withDouble([&]() -> AsyncOperationWithProgress<void, double> { co_await gates[0]; });
    AsyncRelayCommand withList([&]() -> AsyncOperationWithProgress<void, QStringList> { co_await gates[1]; });
    AsyncRelayCommand without([&]() -> AsyncAction { co_await gates[2]; });
    withDouble.execute();
    withList.execute();
    without.execute();
    const QVariant number = withDouble.executionTask()->progress();
    QCOMPARE(number.metaType(), QMetaType::fromType<double>());
    QCOMPARE(number.toDouble(), 0.0);
    const QVariant list = withList.executionTask()->progress();
    QCOMPARE(list.metaType(), QMetaType::fromType<QStringList>());
    QVERIFY(list.toStringList().isEmpty());
    QVERIFY2(!without.executionTask()->progress().isValid(), "no progress type, no progress value");
    for (AsyncRelayCommand *command : {&withDouble, &withList, &without})
        QVERIFY(!command->executionTask()->hasProgress());
    for (Gate &gate : gates)
        gate.open();
    QVERIFY(Testing::waitUntilIdle(&withDouble));
    QVERIFY(Testing::waitUntilIdle(&withList));
    QVERIFY(Testing::waitUntilIdle(&without));
}

void tst_AsyncRelayCommand::firstReportOfTheDefaultValueSetsHasProgress_C6()
{
    Gate started;
    Gate gate;
    AsyncRelayCommand command([&]() -> AsyncOperationWithProgress<void, double> {
        auto progress = co_await getProgressToken();
        co_await started;
        progress(0.0); // the default value: progress stays 0.0, hasProgress turns true
        co_await gate;
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QSignalSpy progressChanged(task, &ExecutionTask::progressChanged);
    QVERIFY(!task->hasProgress());
    started.open();
    QTRY_VERIFY_WITH_TIMEOUT(task->hasProgress(), 5000);
    QCOMPARE(progressChanged.count(), 1);
    QCOMPARE(task->progress(), QVariant(0.0));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(progressChanged.count(), 1);
}

void tst_AsyncRelayCommand::executionTaskReportsResult_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return valueAfter(gate, 31); });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QCOMPARE(task->result(), QVariant());
    QSignalSpy resultChanged(task, &ExecutionTask::resultChanged);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->result(), QVariant(31));
    QCOMPARE(resultChanged.count(), 1);
    QVERIFY(task->errorString().isEmpty());
}

void tst_AsyncRelayCommand::executionTaskReportsErrorString_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "cannot read file"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    command.execute();
    ExecutionTask *task = command.executionTask();
    QVERIFY(task->errorString().isEmpty());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(task->errorString(), QStringLiteral("cannot read file"));
    QCOMPARE(task->result(), QVariant());
}

void tst_AsyncRelayCommand::executionTaskReportsStatus_C6()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.execute(0);
    ExecutionTask *completed = command.executionTask();
    QCOMPARE(completed->status(), AsyncStatus::Started);
    QVERIFY(completed->isRunning());
    first.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(completed->status(), AsyncStatus::Completed);
    QVERIFY(!completed->isRunning());

    command.execute(1);
    ExecutionTask *canceled = command.executionTask();
    command.cancel();
    QCOMPARE(canceled->status(), AsyncStatus::Canceled); // at once (A4)
    QVERIFY(canceled->isRunning());                      // the body has not unwound (A5)
    QVERIFY(!canceled->errorString().isEmpty());         // the cancellation message
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(canceled->status(), AsyncStatus::Canceled);
    QVERIFY(!canceled->isRunning());
}

void tst_AsyncRelayCommand::executionTaskCancelCancelsItsRun_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    command.executionTask()->cancel();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    QVERIFY(command.isCancellationRequested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::executionTaskIsKeptAfterRunEnds_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    command.execute();
    QPointer<ExecutionTask> task = command.executionTask();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(task);
    QCOMPARE(command.executionTask(), task.data());
}

void tst_AsyncRelayCommand::replacedExecutionTaskIsDeleted_C6()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    command.execute();
    QPointer<ExecutionTask> first = command.executionTask();
    command.execute();
    QVERIFY(command.executionTask() != first.data());
    QTRY_VERIFY_WITH_TIMEOUT(first.isNull(), 5000); // a finished run holds no memory once replaced
}

// P2: the task is made on the first read of executionTask; a run nobody asks about makes none.
void tst_AsyncRelayCommand::runNobodyAsksAboutMakesNoTask_C6_P2()
{
    AsyncRelayCommand command([](int x) -> AsyncOperation<int> { co_return x * 2; });
    const AsyncAction run = command.executeAsync(21);
    QVERIFY(Testing::wait(run));
    QVERIFY2(command.findChildren<ExecutionTask *>().isEmpty(), "nobody has read executionTask");
    ExecutionTask *task = command.executionTask();
    QVERIFY(task);
    QCOMPARE(task->id(), run.id());
    QCOMPARE(task->status(), AsyncStatus::Completed);
    QVERIFY(!task->isRunning());
    QCOMPARE(task->result(), QVariant(42));
    QVERIFY(task->errorString().isEmpty());
    QCOMPARE(task->operation().status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask(), task); // later reads return the same object
    QCOMPARE(command.findChildren<ExecutionTask *>().size(), 1);
}

void tst_AsyncRelayCommand::taskMadeMidRunShowsTheRunSoFar_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate]() -> AsyncOperationWithProgress<int, int> {
        auto progress = co_await getProgressToken();
        progress(7);
        co_await gate;
        co_return 1;
    });
    QSignalSpy taskChanged(&command, &AsyncRelayCommand::executionTaskChanged);
    command.execute();
    QCOMPARE(taskChanged.count(), 1);
    QCoreApplication::sendPostedEvents(); // a report posted to this thread arrives (nothing runs elsewhere)
    QVERIFY2(command.findChildren<ExecutionTask *>().isEmpty(), "nobody has read executionTask yet");
    ExecutionTask *task = command.executionTask();
    QCOMPARE(task->status(), AsyncStatus::Started);
    QVERIFY(task->isRunning());
    QVERIFY(task->hasProgress());
    QCOMPARE(task->progress(), QVariant(7));
    // From here the task is the one a task made at the start would be: it cancels its run and
    // announces the end.
    QSignalSpy statusChanged(task, &ExecutionTask::statusChanged);
    QSignalSpy runningChanged(task, &ExecutionTask::isRunningChanged);
    task->cancel();
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    QCOMPARE(statusChanged.count(), 1);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!task->isRunning());
    QCOMPARE(runningChanged.count(), 1);
    QCOMPARE(statusChanged.count(), 1);
    QCOMPARE(command.executionTask(), task);
}

void tst_AsyncRelayCommand::taskMadeAfterTheEndShowsHowItEnded_C6()
{
    Gate gate;
    AsyncRelayCommand failing([&gate] { return failActionAfter(gate, "disk full"); });
    QSignalSpy failingErrors(&failing, &Command::errorOccurred);
    failing.execute();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&failing));
    ExecutionTask *failed = failing.executionTask();
    QCOMPARE(failed->status(), AsyncStatus::Error);
    QCOMPARE(failed->errorString(), QStringLiteral("disk full"));
    QCOMPARE(failed->operation().status(), AsyncStatus::Error);

    // A delegate that throws before returning an operation: the task's operation tells the end.
    AsyncRelayCommand throwing([]() -> AsyncAction { throw std::runtime_error("no operation"); });
    QSignalSpy throwingErrors(&throwing, &Command::errorOccurred);
    throwing.execute();
    ExecutionTask *threw = throwing.executionTask();
    QCOMPARE(threw->status(), AsyncStatus::Error);
    QCOMPARE(threw->errorString(), QStringLiteral("no operation"));
    QCOMPARE(threw->operation().status(), AsyncStatus::Error);

    Gate held;
    AsyncRelayCommand canceling([&held] { return waitOn(held); });
    canceling.execute();
    canceling.cancel();
    held.open();
    QVERIFY(Testing::waitUntilIdle(&canceling));
    ExecutionTask *canceled = canceling.executionTask();
    QCOMPARE(canceled->status(), AsyncStatus::Canceled);
    QVERIFY(!canceled->isRunning());
    QVERIFY(!canceled->errorString().isEmpty()); // the cancellation message
    QVERIFY(!canceled->hasProgress());
}

// C8: in Parallel mode executionTask is the run begun last, whether it has ended or not, read late or not.
void tst_AsyncRelayCommand::executionTaskReadLateIsTheLatestRun_C6_C8()
{
    Gate first;
    Gate second;
    Gate third;
    Gate *gates[] = {&first, &second, &third};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Parallel);
    const AsyncAction a = command.executeAsync(0);
    const AsyncAction b = command.executeAsync(1);
    second.open();
    QVERIFY(Testing::wait(b));
    QVERIFY(command.isRunning()); // the first run goes on
    ExecutionTask *task = command.executionTask();
    QCOMPARE(task->id(), b.id());
    QCOMPARE(task->status(), AsyncStatus::Completed);
    first.open();
    QVERIFY(Testing::wait(a));
    QCOMPARE(command.executionTask(), task);
    QCOMPARE(command.findChildren<ExecutionTask *>().size(), 1); // the first run's was never made

    // Read while it runs, the next run's task is made then and is kept after its end.
    const AsyncAction c = command.executeAsync(2);
    ExecutionTask *running = command.executionTask();
    QCOMPARE(running->id(), c.id());
    QVERIFY(running->isRunning());
    third.open();
    QVERIFY(Testing::wait(c));
    QVERIFY(!running->isRunning());
    QCOMPARE(command.executionTask(), running);
}

// P6: once replaced, a run that nobody asked about keeps nothing: not even its result.
void tst_AsyncRelayCommand::replacedRunReleasesItsResultUnread_P6()
{
    auto payload = std::make_shared<int>(5);
    const std::weak_ptr<int> watched = payload;
    AsyncRelayCommand command(
        [&payload]() -> AsyncOperation<std::shared_ptr<int>> { co_return std::exchange(payload, nullptr); });
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY2(!watched.expired(), "the current run keeps its result: executionTask may still be read");
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY2(watched.expired(), "the replaced run's result is released");
}

// C6: a C++ binding that calls the getter depends on executionTask, as one through the bindable does.
void tst_AsyncRelayCommand::executionTaskGetterInABindingFollowsRuns_C6()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    QProperty<quint64> shown;
    shown.setBinding([&command] {
        const ExecutionTask *task = command.executionTask();
        return task ? task->id() : quint64(0);
    });
    QCOMPARE(shown.value(), quint64(0));
    const AsyncAction first = command.executeAsync();
    QCOMPARE(shown.value(), first.id());
    const AsyncAction second = command.executeAsync();
    QCOMPARE(shown.value(), second.id());
    shown.setValue(0); // drops the binding before the command goes
}

void tst_AsyncRelayCommand::executionTaskReadOnAnotherThreadIsNullWithAWarning_C12()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    command.execute();
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("executionTask read on another thread")));
    // Atomic: QThread::wait() orders the two threads, but ThreadSanitizer cannot see into Qt.
    std::atomic<ExecutionTask *> seen{reinterpret_cast<ExecutionTask *>(quintptr(1))};
    std::unique_ptr<QThread> reader(QThread::create([&] { seen.store(command.executionTask()); }));
    reader->start();
    QVERIFY(reader->wait(5000));
    QCOMPARE(seen.load(), nullptr);
    QVERIFY2(command.findChildren<ExecutionTask *>().isEmpty(), "no task made on the wrong thread");
    QVERIFY(command.executionTask()); // on the command's thread it is there
}

void tst_AsyncRelayCommand::runsKeepTheirOutcomeWhateverTheirFrameSize_C6()
{
    // Frames of different sizes from one delegate, and operations held after their tasks are deleted:
    // each run keeps its own outcome.
    AsyncRelayCommand command([](int value) { return value % 2 ? bigFrame(value) : smallFrame(value); });
    QList<AsyncAction> operations;
    QList<quint64> ids;
    for (int value : {2, 4, 3, 5, 6, 8, 7}) {
        command.execute(value);
        ExecutionTask *task = command.executionTask();
        QCOMPARE(task->status(), AsyncStatus::Completed);
        QCOMPARE(task->result(), QVariant(value % 2 ? value * 10 : value));
        operations.append(task->operation());
        ids.append(task->id());
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the replaced task goes
    }
    for (qsizetype i = 0; i < operations.size(); ++i) {
        QVERIFY(operations[i].id() != ids[i]); // the delegate's own operation, not the run's id (C5)
        QCOMPARE(operations[i].status(), AsyncStatus::Completed);
        QVERIFY(!operations[i].isRunning());
        operations[i].close();
    }
}

void tst_AsyncRelayCommand::concurrencyNotifiesOncePerChange_C6()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    QSignalSpy changed(&command, &AsyncRelayCommand::concurrencyChanged);
    command.setConcurrency(ConcurrencyMode::Parallel);
    command.setConcurrency(ConcurrencyMode::Parallel);
    QCOMPARE(changed.count(), 1);
    QVERIFY(command.setProperty("concurrency", QVariant::fromValue(ConcurrencyMode::Queue)));
    QCOMPARE(command.concurrency(), ConcurrencyMode::Queue);
    QCOMPARE(changed.count(), 2);
}

// ---------------------------------------------------------------------------------------------- C3

void tst_AsyncRelayCommand::predicateReadingIsRunningFollowsIt_C3()
{
    Gate gate;
    AsyncRelayCommand load([&gate] { return waitOn(gate); });
    load.setConcurrency(ConcurrencyMode::Parallel); // its own canExecute stays true
    RelayCommand save([] {}, [&load] { return !load.isRunning(); });
    QSignalSpy changed(&save, &Command::canExecuteChanged);
    QVERIFY(save.canExecute());
    load.execute();
    QVERIFY(!save.canExecute());
    QCOMPARE(changed.count(), 1);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&load));
    QVERIFY(save.canExecute());
    QCOMPARE(changed.count(), 2);
}

// ---------------------------------------------------------------------------------------------- C7

void tst_AsyncRelayCommand::isRunningAndExecutionTaskAreSetBeforeDelegateRuns_C7()
{
    AsyncRelayCommand *self = nullptr;
    std::optional<bool> runningAtFirstLine;
    ExecutionTask *taskAtFirstLine = nullptr;
    quint64 taskIdAtFirstLine = 0;
    AsyncRelayCommand command([&]() -> AsyncAction {
        runningAtFirstLine = self->isRunning();
        taskAtFirstLine = self->executionTask();
        taskIdAtFirstLine = taskAtFirstLine ? taskAtFirstLine->id() : 0;
        co_return;
    });
    self = &command;
    command.execute(); // a first run, so that the second one must replace the task
    QVERIFY(Testing::waitUntilIdle(&command));
    ExecutionTask *previous = command.executionTask();

    const AsyncAction run = command.executeAsync();
    QVERIFY(runningAtFirstLine.has_value());
    QCOMPARE(*runningAtFirstLine, true);
    QVERIFY(taskAtFirstLine != nullptr);
    QVERIFY(taskAtFirstLine != previous);
    QCOMPARE(taskIdAtFirstLine, run.id());
}

void tst_AsyncRelayCommand::isRunningTurnsFalseOnceAfterCompletion_C7()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::isRunningTurnsFalseOnceAfterError_C7()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "failed"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::isRunningTurnsFalseOnceAfterCancel_C7()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    command.cancel();
    QVERIFY(command.isRunning()); // false only after the body has ended
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::isRunningTurnsFalseOnceAfterSynchronousRun_C7()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    QVERIFY(!command.isRunning());
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

// ---------------------------------------------------------------------------------------------- C8

void tst_AsyncRelayCommand::rejectIsDefault_C8()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    QCOMPARE(command.concurrency(), ConcurrencyMode::Reject);
}

void tst_AsyncRelayCommand::rejectCanExecuteIsFalseWhileRunning_C8()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("canExecute")});
    QVERIFY(command.canExecute());
    command.execute();
    QVERIFY(!command.canExecute());
    QVERIFY(!command.canExecuteWith(QVariant()));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(command.canExecute());
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("canExecute=false"), QStringLiteral("canExecute=true")}));
}

void tst_AsyncRelayCommand::rejectRequeriesParameterisedAnswerAtStartAndEnd_C8()
{
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return waitOn(gate); }, [](int value) { return value > 0; });
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    QVERIFY(!command.canExecute()); // the answer for int{} (0) is false: it never changes
    QVERIFY(command.canExecuteWith(1));
    command.execute(1);
    QVERIFY(!command.canExecuteWith(1));
    QCOMPARE(changed.count(), 1); // "re-query" at the start
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(command.canExecuteWith(1));
    QCOMPARE(changed.count(), 2); // and at the end
}

void tst_AsyncRelayCommand::rejectExecuteWhileRunningStartsNothing_C8()
{
    Gate gate;
    int calls = 0;
    AsyncRelayCommand command([&] {
        ++calls;
        return waitOn(gate);
    });
    command.execute();
    ExecutionTask *task = command.executionTask();
    command.execute();
    QCOMPARE(calls, 1);
    QCOMPARE(command.executionTask(), task);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(calls, 1);
}

void tst_AsyncRelayCommand::rejectExecuteAsyncWhileRunningReturnsCanceledOperation_C8()
{
    Gate gate;
    int calls = 0;
    AsyncRelayCommand command([&] {
        ++calls;
        return waitOn(gate);
    });
    const AsyncAction running = command.executeAsync();
    ExecutionTask *task = command.executionTask();
    const AsyncAction refused = command.executeAsync();
    QCOMPARE(calls, 1);
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QVERIFY(!refused.isRunning()); // already ended
    QVERIFY(!(refused == running));
    QCOMPARE(command.executionTask(), task);
    QCOMPARE(running.status(), AsyncStatus::Started);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::parallelRunsOverlap_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Parallel);
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute(0);
    ExecutionTask *firstTask = command.executionTask();
    QVERIFY(command.canExecuteWith(1));
    command.execute(1);
    ExecutionTask *secondTask = command.executionTask();
    QVERIFY(secondTask != firstTask);
    QVERIFY(first.isWaiting());
    QVERIFY(second.isWaiting());

    first.open();
    QTRY_COMPARE_WITH_TIMEOUT(firstTask->status(), AsyncStatus::Completed, 5000);
    QVERIFY(command.isRunning()); // true while any run runs
    QCOMPARE(command.executionTask(), secondTask);
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::restartCancelsRunningRunAndStartsAtOnce_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Restart);
    const AsyncAction firstRun = command.executeAsync(0);
    QVERIFY(command.canExecuteWith(1));
    const AsyncAction secondRun = command.executeAsync(1);
    QCOMPARE(firstRun.status(), AsyncStatus::Canceled);
    QCOMPARE(secondRun.status(), AsyncStatus::Started);
    QVERIFY(second.isWaiting()); // started at once, not after the first run unwound
    QCOMPARE(command.executionTask()->id(), secondRun.id());
    first.open();
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(secondRun.status(), AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::restartLeavesARunWhoseBodyHasEndedAlone_C8()
{
    // The first body ends on another thread; its end is posted here but not processed yet when the
    // Restart comes. cancel() is then a no-op (A4): the run keeps its real outcome, and its task does
    // not report the end before the command has processed it (C7).
    Gate gate;
    AsyncRelayCommand command([&gate](int value) { return valueAfter(gate, value); });
    command.setConcurrency(ConcurrencyMode::Restart);
    const AsyncAction first = command.executeAsync(1);
    const QPointer<ExecutionTask> firstTask = command.executionTask();
    std::thread opener([&gate] { gate.open(); });
    opener.join();
    const AsyncAction second = command.executeAsync(2);
    QVERIFY(firstTask);
    QCOMPARE(firstTask->status(), AsyncStatus::Started);
    QVERIFY(firstTask->isRunning());
    QVERIFY(Testing::wait(first));
    QCOMPARE(first.status(), AsyncStatus::Completed);
    QVERIFY(Testing::wait(second));
    QCOMPARE(second.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(2));
}

void tst_AsyncRelayCommand::restartKeepsIsRunningTrueWhileNewRunRuns_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Restart);
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    const AsyncAction firstRun = command.executeAsync(0);
    const AsyncAction secondRun = command.executeAsync(1);
    first.open(); // the canceled run ends while the new one runs
    QVERIFY(Testing::wait(firstRun));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QVERIFY(command.isRunning());
    QCOMPARE(recorder.changes(), QStringList({QStringLiteral("isRunning=true")}));
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::queueRunsOneAfterAnotherInCallOrder_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    QList<int> started;
    AsyncRelayCommand command([&](int i) {
        started << i;
        return waitOn(*gates[i]);
    });
    command.setConcurrency(ConcurrencyMode::Queue);
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    const AsyncAction firstRun = command.executeAsync(0);
    const AsyncAction secondRun = command.executeAsync(1);
    QCOMPARE(started, QList<int>({0}));
    QCOMPARE(secondRun.status(), AsyncStatus::Started);
    first.open();
    QTRY_COMPARE_WITH_TIMEOUT(started, QList<int>({0, 1}), 5000);
    QCOMPARE(command.executionTask()->id(), secondRun.id());
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(firstRun.status(), AsyncStatus::Completed);
    QCOMPARE(secondRun.status(), AsyncStatus::Completed);
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

// ---------------------------------------------------------------------------------------------- C9

void tst_AsyncRelayCommand::delegateThrowingBeforeFirstAwaitEndsError_C9()
{
    UnhandledErrors errors;
    AsyncRelayCommand command([]() -> AsyncAction {
        throw TestError("before the first co_await");
        co_return;
    });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Error);
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("before the first co_await"));
    QCOMPARE(errors.messages(), QStringList());
}

void tst_AsyncRelayCommand::delegateThrowingAfterFirstAwaitEndsError_C9()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "after the first co_await"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync();
    QCOMPARE(thrown([&] { gate.open(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Error);
    QCOMPARE(errorSpy.count(), 1);
    QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("after the first co_await"));
    QCOMPARE(errors.messages(), QStringList());
}

void tst_AsyncRelayCommand::nonCoroutineDelegateThrowingEndsError_C9()
{
    UnhandledErrors errors;
    AsyncRelayCommand command([]() -> AsyncAction { throw TestError("no operation built"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(run.isValid());
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->errorString(), QStringLiteral("no operation built"));
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QVERIFY(!command.isRunning());
}

void tst_AsyncRelayCommand::unhandledRunErrorGoesToProcessWideHandler_C9()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "nobody listens"); });
    command.setObjectName(QStringLiteral("loader"));
    command.execute();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QTRY_COMPARE_WITH_TIMEOUT(errors.messages(), QStringList({QStringLiteral("nobody listens")}), 5000);
    QVERIFY2(errors.where().constFirst().contains(QLatin1String("loader")),
             qPrintable(errors.where().join(';')));
}

void tst_AsyncRelayCommand::cancellationIsNotAnError_C9()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    int handled = 0;
    command.setErrorHandler([&](std::exception_ptr) { ++handled; });
    command.execute();
    command.cancel();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(errorSpy.count(), 0);
    QCOMPARE(handled, 0);
    QCOMPARE(errors.messages(), QStringList());
}

// --------------------------------------------------------------------------------------------- C10

void tst_AsyncRelayCommand::executeAsyncEndsWithRun_C10()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    QCOMPARE(run.status(), AsyncStatus::Started);
    QVERIFY(run.isRunning());
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::executeAsyncEndsAfterTheCommandIsIdle_C10()
{
    // The body ends on a pool thread; the operation's completed handler (posted to this thread) must
    // find the command already idle and its task final, not a stale state.
    Gate gate;
    AsyncRelayCommand command([&gate] { return poolRun(gate, 7); });
    const AsyncAction run = command.executeAsync();
    bool seenRunning = true;
    QVariant seenResult;
    bool seenCanExecute = false;
    QObject context;
    run.setCompleted(&context, [&](const AsyncAction &, AsyncStatus) {
        seenRunning = command.isRunning();
        seenResult = command.executionTask()->result();
        seenCanExecute = command.canExecute();
    });
    gate.open();
    QVERIFY(Testing::wait(run));
    QTRY_VERIFY(!seenRunning);
    QCOMPARE(seenResult, QVariant(7));
    QVERIFY(seenCanExecute);
}

void tst_AsyncRelayCommand::awaitingExecuteAsyncSeesTheFinalState_C10()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return poolRun(gate, 3); });
    bool seenRunning = true;
    AsyncStatus seenStatus = AsyncStatus::Started;
    // A named lambda: a coroutine lambda's captures live in the closure, which must outlive the body.
    const auto body = [&]() -> AsyncAction {
        co_await command.executeAsync();
        seenRunning = command.isRunning();
        seenStatus = command.executionTask()->status();
    };
    const AsyncAction awaiter = body();
    gate.open();
    QVERIFY(Testing::wait(awaiter));
    QVERIFY(!seenRunning);
    QCOMPARE(seenStatus, AsyncStatus::Completed);
}

// C10: a run that ends inside its own start (it was waiting in the queue, the end of the one before
// started it) ends its operation once the command's state is final, like any other run.
void tst_AsyncRelayCommand::queuedRunEndingInsideItsStartEndsItsOperationOnceIdle_C10_C8()
{
    Gate gate;
    AsyncRelayCommand command([&gate](bool wait) -> AsyncAction {
        if (wait)
            co_await gate;
        co_return;
    });
    command.setConcurrency(ConcurrencyMode::Queue);
    const AsyncAction first = command.executeAsync(true);
    const AsyncAction second = command.executeAsync(false);
    QCOMPARE(second.status(), AsyncStatus::Started); // waiting behind the first
    bool handled = false;
    bool seenRunning = true;
    bool seenCanExecute = false;
    QObject context;
    second.setCompleted(&context, [&](const AsyncAction &, AsyncStatus) {
        handled = true;
        seenRunning = command.isRunning();
        seenCanExecute = command.canExecute();
    });
    gate.open();
    QVERIFY(Testing::wait(second));
    QTRY_VERIFY(handled);
    QVERIFY2(!seenRunning, "the operation ended before the command was idle");
    QVERIFY(seenCanExecute);
}

void tst_AsyncRelayCommand::debouncedRunEndingInsideItsStartEndsItsOperationOnceIdle_C10_C22()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    command.setDebounce(5);
    const AsyncAction run = command.executeAsync(); // starts when the debounce timer fires
    bool handled = false;
    bool seenRunning = true;
    QObject context;
    run.setCompleted(&context, [&](const AsyncAction &, AsyncStatus) {
        handled = true;
        seenRunning = command.isRunning();
    });
    QTRY_VERIFY(handled);
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY2(!seenRunning, "the operation ended before the command was idle");
}

void tst_AsyncRelayCommand::executeAsyncCarriesError_C10()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "carried"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync();
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(thrown([&] { run.getResults(); }), QStringLiteral("TestError: carried"));
}

void tst_AsyncRelayCommand::executeAsyncCarriesCancellation_C10()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    command.cancel();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(thrown([&] { run.getResults(); }), QStringLiteral("OperationCanceled"));
}

void tst_AsyncRelayCommand::executeAsyncCanBeAwaited_C10()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return valueAfter(gate, 3); });
    const AsyncOperation<int> awaiting = awaitRun(command.executeAsync());
    QVERIFY(awaiting.isRunning());
    gate.open();
    QVERIFY(Testing::wait(awaiting));
    QCOMPARE(awaiting.getResults(), 1);
}

void tst_AsyncRelayCommand::executeAsyncWhenCannotExecuteReturnsCanceledOperation_C10()
{
    int calls = 0;
    AsyncRelayCommand command(
        [&]() -> AsyncAction {
            ++calls;
            co_return;
        },
        [] { return false; });
    const AsyncAction run = command.executeAsync();
    QVERIFY(run.isValid());
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!run.isRunning());
    QCOMPARE(calls, 0);
    QCOMPARE(command.executionTask(), nullptr);
}

void tst_AsyncRelayCommand::executeAsyncWithWrongParameterTypeReturnsCanceledOperation_C10()
{
    int calls = 0;
    AsyncRelayCommand command([&](int) -> AsyncAction {
        ++calls;
        co_return;
    });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(QVariant::fromValue(QPoint(1, 2))); }),
             QStringLiteral("nothing"));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!run.isRunning());
    QCOMPARE(calls, 0);
    QCOMPARE(errorSpy.count(), 1); // the wrong type is reported (C4)
}

// --------------------------------------------------------------------------------------------- C11

void tst_AsyncRelayCommand::cancelBeforeRunIsNoOp_C11()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Testing::PropertyRecorder recorder(&command);
    command.cancel();
    QCOMPARE(recorder.changes(), QStringList());
    QVERIFY(!command.isCancellationRequested());
}

void tst_AsyncRelayCommand::cancelWhileRunningRequestsCancellation_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    QVERIFY(command.canBeCanceled());
    command.cancel();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(command.isCancellationRequested());
    QVERIFY(!command.canBeCanceled()); // false while the canceled body still runs
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(command.isCancellationRequested());
}

void tst_AsyncRelayCommand::cancelAfterRunIsNoOp_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    Testing::PropertyRecorder recorder(&command);
    command.cancel();
    QCOMPARE(recorder.changes(), QStringList());
    QVERIFY(!command.isCancellationRequested());
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::cancelDropsQueuedRuns_C11()
{
    Gate gate;
    int calls = 0;
    AsyncRelayCommand command([&] {
        ++calls;
        return waitOn(gate);
    });
    command.setConcurrency(ConcurrencyMode::Queue);
    const AsyncAction running = command.executeAsync();
    const AsyncAction queued = command.executeAsync();
    command.cancel();
    QCOMPARE(queued.status(), AsyncStatus::Canceled);
    QVERIFY(!queued.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(running.status(), AsyncStatus::Canceled);
    QCOMPARE(calls, 1); // the queued run never started
}

void tst_AsyncRelayCommand::isCancellationRequestedStaysTrueUntilNextRun_C11()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.execute(0);
    command.cancel();
    first.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(command.isCancellationRequested());
    command.execute(1);
    QVERIFY(!command.isCancellationRequested());
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::cancelCommandIsSameObject_C11()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Command *cancelCommand = command.cancelCommand();
    QVERIFY(cancelCommand != nullptr);
    QCOMPARE(command.cancelCommand(), cancelCommand);
    QCOMPARE(command.property("cancelCommand").value<Command *>(), cancelCommand);
    QCOMPARE(cancelCommand->parent(), &command);
}

void tst_AsyncRelayCommand::cancelCommandCanExecuteFollowsCanBeCanceled_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    Command *cancelCommand = command.cancelCommand();
    Testing::PropertyRecorder recorder(cancelCommand, {QStringLiteral("canExecute")});
    QVERIFY(!cancelCommand->canExecute());
    command.execute();
    QVERIFY(cancelCommand->canExecute());
    command.cancel();
    QVERIFY(!cancelCommand->canExecute());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!cancelCommand->canExecute());
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("canExecute=true"), QStringLiteral("canExecute=false")}));
}

void tst_AsyncRelayCommand::cancelCommandCancelsRun_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    command.cancelCommand()->execute();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(command.isCancellationRequested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::timeoutCancelsLongRun_C11()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_await resumeAfter(std::chrono::hours(1)); });
    command.setTimeout(50);
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run, 5s));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_AsyncRelayCommand::runWithinTimeoutIsNotCanceled_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    QCOMPARE(command.timeout(), 0); // no limit by default
    command.setTimeout(60000);
    const AsyncAction run = command.executeAsync();
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
}

// --------------------------------------------------------------------------------------------- C12

void tst_AsyncRelayCommand::notificationsArriveOnCommandThreadWhenBodyEndsOnPool_C12()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return poolRun(gate, 9); });
    QThread *const commandThread = command.thread();
    QStringList seen;
    QStringList wrongThread;
    QMutex mutex;
    auto onThread = [&](const char *name) {
        return [&, name] {
            QMutexLocker lock(&mutex);
            seen << QString::fromLatin1(name);
            if (QThread::currentThread() != commandThread)
                wrongThread << QString::fromLatin1(name);
        };
    };
    // Direct connections: each slot runs on the thread that emits.
    connect(&command, &AsyncRelayCommand::isRunningChanged, this, onThread("isRunning"),
            Qt::DirectConnection);
    connect(&command, &AsyncRelayCommand::canBeCanceledChanged, this, onThread("canBeCanceled"),
            Qt::DirectConnection);
    connect(&command, &Command::canExecuteChanged, this, onThread("canExecute"), Qt::DirectConnection);
    command.execute();
    ExecutionTask *task = command.executionTask();
    connect(task, &ExecutionTask::progressChanged, this, onThread("task.progress"), Qt::DirectConnection);
    connect(task, &ExecutionTask::resultChanged, this, onThread("task.result"), Qt::DirectConnection);
    connect(task, &ExecutionTask::statusChanged, this, onThread("task.status"), Qt::DirectConnection);
    connect(task, &ExecutionTask::isRunningChanged, this, onThread("task.isRunning"), Qt::DirectConnection);
    {
        QMutexLocker lock(&mutex);
        seen.clear();
    }
    gate.open(); // the body hops to the pool, reports and ends there
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QMutexLocker lock(&mutex);
    for (const char *expected : {"task.progress", "task.result", "task.status", "task.isRunning", "isRunning",
                                 "canBeCanceled", "canExecute"})
        QVERIFY2(seen.contains(QLatin1String(expected)), expected);
    QCOMPARE(wrongThread, QStringList());
    QCOMPARE(task->result(), QVariant(9));
    QCOMPARE(task->progress(), QVariant(9));
}

void tst_AsyncRelayCommand::cancelFromWorkerThreadIsPostedToCommandThread_C12()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    std::atomic<QThread *> emittedOn{nullptr};
    connect(
        &command, &AsyncRelayCommand::isCancellationRequestedChanged, this,
        [&] { emittedOn = QThread::currentThread(); }, Qt::DirectConnection);
    Worker worker([&] { command.cancel(); });
    QVERIFY(worker.join());
    QTRY_VERIFY_WITH_TIMEOUT(command.isCancellationRequested(), 5000);
    QCOMPARE(emittedOn.load(), command.thread());
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::taskCancelFromWorkerThreadIsPostedToCommandThread_C12()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    ExecutionTask *task = command.executionTask();
    std::atomic<QThread *> emittedOn{nullptr};
    connect(
        task, &ExecutionTask::statusChanged, this, [&] { emittedOn = QThread::currentThread(); },
        Qt::DirectConnection);
    Worker worker([task] { task->cancel(); });
    QVERIFY(worker.join());
    QTRY_COMPARE_WITH_TIMEOUT(run.status(), AsyncStatus::Canceled, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(emittedOn.load() != nullptr, 5000);
    QCOMPARE(emittedOn.load(), command.thread());
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::commandLivingOnWorkerThreadNotifiesThere_C12()
{
    // A command on a thread of its own (not the main one): started there through its event loop, its
    // body resumed by this thread and ended on a pool thread; every change is seen on the command's thread.
    WorkerThread worker;
    Gate gate;
    // Made there: Qt cannot move an object with bindings (canExecute is one) to another thread.
    AsyncRelayCommand *command = nullptr;
    QMetaObject::invokeMethod(
        worker.context(), [&] { command = new AsyncRelayCommand([&gate] { return poolRun(gate, 5); }); },
        Qt::BlockingQueuedConnection);
    QVERIFY(command);
    QCOMPARE(command->thread(), worker.thread());
    QMutex mutex;
    QList<bool> running;
    QList<QThread *> threads;
    QVariant result;
    const auto snapshot = [&] {
        QMutexLocker lock(&mutex);
        return running;
    };
    QMetaObject::invokeMethod(command, [&, command] {
        connect(command, &AsyncRelayCommand::isRunningChanged, command, [&, command] {
            QMutexLocker lock(&mutex);
            running << command->isRunning();
            threads << QThread::currentThread();
            if (!command->isRunning())
                result = command->executionTask()->result();
        });
        command->execute();
    });
    QTRY_COMPARE_WITH_TIMEOUT(snapshot(), QList<bool>{true}, 5000);
    gate.open();
    QTRY_COMPARE_WITH_TIMEOUT(snapshot(), (QList<bool>{true, false}), 5000);
    {
        QMutexLocker lock(&mutex);
        QCOMPARE(threads, (QList<QThread *>{worker.thread(), worker.thread()}));
        QCOMPARE(result, QVariant(5));
    }
    QMetaObject::invokeMethod(
        command, [command] { delete command; }, Qt::BlockingQueuedConnection);
}

// --------------------------------------------------------------------------------------------- C13

void tst_AsyncRelayCommand::deletingCommandMidRunCancelsRun_C13()
{
    Gate gate;
    std::stop_token stop;
    auto *command = new AsyncRelayCommand([&](std::stop_token token) {
        stop = token;
        return waitOn(gate);
    });
    const AsyncAction run = command->executeAsync();
    delete command;
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(stop.stop_requested());
    gate.open(); // the body unwinds after its command is gone (ASan watches)
    QVERIFY(!run.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

void tst_AsyncRelayCommand::deletingCommandEndsExecuteAsyncOnlyWhenBodyUnwinds_C10()
{
    // The work outlasts the cancel request: a QCoro::Task awaiting a future nobody has finished yet.
    QPromise<int> promise;
    promise.start();
    QFuture<int> future = promise.future();
    auto alive = std::make_shared<int>(0); // a local of the body, through its capture
    std::weak_ptr<int> watch = alive;
    auto *command =
        new AsyncRelayCommand([future, alive = std::move(alive)](std::stop_token) -> QCoro::Task<> {
            auto keep = alive;
            co_await future;
        });
    const AsyncAction run = command->executeAsync();
    delete command;
    QCOMPARE(run.status(), AsyncStatus::Canceled); // at once (A4) ...
    QVERIFY(run.isRunning());                      // ... but running until the body has unwound (A5)
    promise.addResult(1);
    promise.finish();
    QVERIFY(Testing::wait(run));
    QVERIFY(!run.isRunning());
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(watch.expired()); // the delegate and the body's locals are gone (C13)
}

void tst_AsyncRelayCommand::deletingCommandWhileBodyEndsOnPoolIsSafe_C13()
{
    Gate gate;
    auto *command = new AsyncRelayCommand([&gate] { return poolRun(gate, 1); });
    const AsyncAction run = command->executeAsync();
    gate.open();    // the body now runs on the pool...
    delete command; // ...while its command goes away here
    QVERIFY(Testing::wait(run));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QVERIFY(run.status() == AsyncStatus::Canceled || run.status() == AsyncStatus::Completed);
}

void tst_AsyncRelayCommand::deletingCommandWithPendingProgressIsSafe_C13()
{
    Gate gate;
    auto *command = new AsyncRelayCommand([&gate]() -> AsyncOperationWithProgress<int, int> {
        auto progress = co_await getProgressToken();
        progress(1); // posted to the command's thread, not delivered yet
        co_await gate;
        co_return 0;
    });
    const AsyncAction run = command->executeAsync();
    delete command;
    gate.open();
    QVERIFY(!run.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
}

void tst_AsyncRelayCommand::deletingCommandCancelsQueuedRuns_C13()
{
    Gate gate;
    auto *command = new AsyncRelayCommand([&gate] { return waitOn(gate); });
    command->setConcurrency(ConcurrencyMode::Queue);
    const AsyncAction running = command->executeAsync();
    const AsyncAction queued = command->executeAsync();
    delete command;
    QCOMPARE(running.status(), AsyncStatus::Canceled);
    QCOMPARE(queued.status(), AsyncStatus::Canceled);
    QVERIFY(!queued.isRunning());
    gate.open();
    QVERIFY(!running.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

void tst_AsyncRelayCommand::deletingCommandFromItsOwnSignalIsSafe_C13_data()
{
    QTest::addColumn<QByteArray>("signal"); // on the command, or on its task with "task:"
    QTest::addColumn<QByteArray>("step");   // what makes the signal go out
    const QByteArray start = "start", complete = "complete", fail = "fail", cancel = "cancel",
                     atOnce = "end inside its start", debounced = "debounced start";
    QTest::newRow("start: isRunningChanged") << QByteArray("isRunningChanged()") << start;
    QTest::newRow("start: executionTaskChanged") << QByteArray("executionTaskChanged()") << start;
    QTest::newRow("start: canBeCanceledChanged") << QByteArray("canBeCanceledChanged()") << start;
    QTest::newRow("start: canExecuteChanged") << QByteArray("canExecuteChanged()") << start;
    QTest::newRow("end: isRunningChanged") << QByteArray("isRunningChanged()") << complete;
    QTest::newRow("end: canExecuteChanged") << QByteArray("canExecuteChanged()") << complete;
    QTest::newRow("end: resultReady") << QByteArray("resultReady(QVariant)") << complete;
    QTest::newRow("end: task statusChanged") << QByteArray("task:statusChanged()") << complete;
    QTest::newRow("failure: errorOccurred") << QByteArray("errorOccurred(QString)") << fail;
    QTest::newRow("failure: lastErrorChanged") << QByteArray("lastErrorChanged()") << fail;
    QTest::newRow("cancel: isCancellationRequestedChanged")
        << QByteArray("isCancellationRequestedChanged()") << cancel;
    QTest::newRow("cancel: canBeCanceledChanged") << QByteArray("canBeCanceledChanged()") << cancel;
    QTest::newRow("cancel: task statusChanged") << QByteArray("task:statusChanged()") << cancel;
    QTest::newRow("cancel through the task: isCancellationRequestedChanged")
        << QByteArray("isCancellationRequestedChanged()") << QByteArray("cancel through the task");
    QTest::newRow("end inside start: resultReady") << QByteArray("resultReady(QVariant)") << atOnce;
    QTest::newRow("end inside start: task statusChanged") << QByteArray("task:statusChanged()") << atOnce;
    // C22: the start a debounce timer makes, from the event loop.
    QTest::newRow("debounced start: isRunningChanged") << QByteArray("isRunningChanged()") << debounced;
    QTest::newRow("debounced start: canExecuteChanged") << QByteArray("canExecuteChanged()") << debounced;
    QTest::newRow("debounced end inside start: resultReady")
        << QByteArray("resultReady(QVariant)") << QByteArray("debounced end inside its start");
}

void tst_AsyncRelayCommand::deletingCommandFromItsOwnSignalIsSafe_C13()
{
    // A slot deletes the command synchronously, in the middle of a start, an end or a cancel: the
    // command touches nothing of itself afterwards (ASan watches), and the run still ends.
    QFETCH(QByteArray, signal);
    QFETCH(QByteArray, step);
    Gate gate;
    const bool debounced = step.startsWith("debounced");
    const bool atOnce = step.endsWith("end inside its start");
    const bool fails = step == "fail";
    QPointer<AsyncRelayCommand> command =
        new AsyncRelayCommand([&gate, atOnce, fails]() -> AsyncOperation<int> {
            if (!atOnce)
                co_await gate;
            if (fails)
                throw TestError("broken");
            co_return 7;
        });
    command->onResult([](int) {});
    Deleter deleter;
    deleter.target = command.data();
    const bool onTask = signal.startsWith("task:");
    const auto connectTo = [&](QObject *sender) {
        const QByteArray name = onTask ? signal.mid(5) : signal;
        const int index = sender->metaObject()->indexOfSignal(name.constData());
        QVERIFY2(index >= 0, name.constData());
        const QMetaObject *slots = deleter.metaObject();
        QVERIFY(QObject::connect(sender, sender->metaObject()->method(index), &deleter,
                                 slots->method(slots->indexOfSlot("deleteTarget()"))));
    };
    if (!onTask && (step == "start" || atOnce || debounced))
        connectTo(command);
    if (debounced)
        command->setDebounce(5); // the start comes from the clock's timer, which QTRY_VERIFY lets run
    AsyncAction run;
    if (onTask && atOnce) {
        // The task of a run that ends inside its own start exists only once the start has begun.
        QObject::connect(command, &AsyncRelayCommand::executionTaskChanged, this, [&] {
            if (command && command->executionTask())
                connectTo(command->executionTask());
        });
    }
    run = command->executeAsync();
    if (step != "start" && !atOnce && !debounced) {
        QVERIFY(command);
        connectTo(onTask ? static_cast<QObject *>(command->executionTask()) : command.data());
        if (step == "cancel")
            command->cancel();
        else if (step == "cancel through the task")
            command->executionTask()->cancel();
        else
            gate.open();
    }
    QTRY_VERIFY(!command); // the slot ran and deleted it
    gate.open();
    QVERIFY(Testing::wait(run));
    QVERIFY(!run.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

void tst_AsyncRelayCommand::delegateDeletingItsCommandIsSafe_C13()
{
    // The delegate itself deletes its command, then returns an operation: the run ends Canceled.
    QPointer<AsyncRelayCommand> command;
    command = new AsyncRelayCommand([&command]() -> AsyncOperation<int> {
        delete command.data();
        return smallFrame(5);
    });
    const AsyncAction run = command->executeAsync();
    QVERIFY(!command);
    QVERIFY(Testing::wait(run));
    QVERIFY(!run.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

// --------------------------------------------------------------------------------------------- C14

void tst_AsyncRelayCommand::signalOrderAtStartAndEnd_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    Testing::PropertyRecorder recorder(&command, commandState);
    command.execute();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("executionTask=object"), QStringLiteral("isRunning=true"),
                          QStringLiteral("canBeCanceled=true"), QStringLiteral("canExecute=false")}));
    recorder.clear();
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=false"), QStringLiteral("canBeCanceled=false"),
                          QStringLiteral("canExecute=true")}));
}

void tst_AsyncRelayCommand::signalOrderAtStartAfterCanceledRun_C14()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    int next = 0;
    AsyncRelayCommand command([&] { return waitOn(*gates[next++]); });
    command.execute();
    command.cancel();
    first.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    Testing::PropertyRecorder recorder(&command, commandState);
    command.execute();
    QCOMPARE(
        recorder.changes(),
        QStringList({QStringLiteral("executionTask=object"), QStringLiteral("isRunning=true"),
                     QStringLiteral("canBeCanceled=true"), QStringLiteral("isCancellationRequested=false"),
                     QStringLiteral("canExecute=false")}));
    second.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::signalOrderOfSynchronousRun_C14()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Testing::PropertyRecorder recorder(&command, commandState);
    command.execute();
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("executionTask=object"), QStringLiteral("isRunning=true"),
                          QStringLiteral("canBeCanceled=true"), QStringLiteral("canExecute=false"),
                          QStringLiteral("isRunning=false"), QStringLiteral("canBeCanceled=false"),
                          QStringLiteral("canExecute=true")}));
}

void tst_AsyncRelayCommand::taskSignalsPrecedeCommandSignalsAtEnd_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return valueAfter(gate, 2); });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QStringList log;
    auto record = [&log](const char *name) { return [&log, name] { log << QString::fromLatin1(name); }; };
    connect(task, &ExecutionTask::resultChanged, this, record("task.result"));
    connect(task, &ExecutionTask::statusChanged, this, record("task.status"));
    connect(task, &ExecutionTask::isRunningChanged, this, record("task.isRunning"));
    connect(&command, &AsyncRelayCommand::isRunningChanged, this, record("isRunning"));
    connect(&command, &AsyncRelayCommand::canBeCanceledChanged, this, record("canBeCanceled"));
    connect(&command, &Command::canExecuteChanged, this, record("canExecute"));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(log, QStringList({QStringLiteral("task.result"), QStringLiteral("task.status"),
                               QStringLiteral("task.isRunning"), QStringLiteral("isRunning"),
                               QStringLiteral("canBeCanceled"), QStringLiteral("canExecute")}));
}

void tst_AsyncRelayCommand::lastProgressPrecedesTaskEndSignals_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return poolRun(gate, 4); });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QStringList log;
    auto record = [&log](const char *name) { return [&log, name] { log << QString::fromLatin1(name); }; };
    connect(task, &ExecutionTask::progressChanged, this, record("task.progress"));
    connect(task, &ExecutionTask::resultChanged, this, record("task.result"));
    connect(task, &ExecutionTask::statusChanged, this, record("task.status"));
    connect(&command, &AsyncRelayCommand::isRunningChanged, this, record("isRunning"));
    gate.open(); // reports 4 on the pool, then ends there
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(log, QStringList({QStringLiteral("task.progress"), QStringLiteral("task.result"),
                               QStringLiteral("task.status"), QStringLiteral("isRunning")}));
    QCOMPARE(task->progress(), QVariant(4));
}

void tst_AsyncRelayCommand::errorOccurredFollowsEndSignals_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "late failure"); });
    command.execute();
    QStringList log;
    auto record = [&log](const char *name) { return [&log, name] { log << QString::fromLatin1(name); }; };
    connect(command.executionTask(), &ExecutionTask::errorStringChanged, this, record("task.errorString"));
    connect(command.executionTask(), &ExecutionTask::statusChanged, this, record("task.status"));
    connect(&command, &AsyncRelayCommand::isRunningChanged, this, record("isRunning"));
    connect(&command, &AsyncRelayCommand::canBeCanceledChanged, this, record("canBeCanceled"));
    connect(&command, &Command::canExecuteChanged, this, record("canExecute"));
    connect(&command, &Command::errorOccurred, this, record("errorOccurred"));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(log, QStringList({QStringLiteral("task.errorString"), QStringLiteral("task.status"),
                               QStringLiteral("isRunning"), QStringLiteral("canBeCanceled"),
                               QStringLiteral("canExecute"), QStringLiteral("errorOccurred")}));
}

void tst_AsyncRelayCommand::errorOccurredFollowsEndSignalsOfSynchronousFailure_C14()
{
    AsyncRelayCommand command([]() -> AsyncAction {
        throw TestError("early failure");
        co_return;
    });
    QStringList log;
    auto record = [&log](const char *name) { return [&log, name] { log << QString::fromLatin1(name); }; };
    connect(&command, &AsyncRelayCommand::isRunningChanged, this, record("isRunning"));
    connect(&command, &AsyncRelayCommand::canBeCanceledChanged, this, record("canBeCanceled"));
    connect(&command, &Command::canExecuteChanged, this, record("canExecute"));
    connect(&command, &Command::errorOccurred, this, record("errorOccurred"));
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(log, QStringList({QStringLiteral("isRunning"), QStringLiteral("canBeCanceled"),
                               QStringLiteral("canExecute"), QStringLiteral("isRunning"),
                               QStringLiteral("canBeCanceled"), QStringLiteral("canExecute"),
                               QStringLiteral("errorOccurred")}));
}

void tst_AsyncRelayCommand::cancelNotifiesEachChangeOnce_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    command.execute();
    Testing::PropertyRecorder recorder(&command, commandState);
    command.cancel();
    QStringList atCancel = recorder.changes();
    atCancel.sort(); // the order inside cancel() is not part of the contract, the set of changes is
    QCOMPARE(atCancel, QStringList({QStringLiteral("canBeCanceled=false"),
                                    QStringLiteral("isCancellationRequested=true")}));
    recorder.clear();
    command.cancel(); // nothing left to cancel: no change, no signal
    QCOMPARE(recorder.changes(), QStringList());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCoreApplication::processEvents();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=false"), QStringLiteral("canExecute=true")}));
}

void tst_AsyncRelayCommand::progressChangedFiresOncePerRealChange_C14()
{
    Gate between;
    Gate after;
    AsyncRelayCommand command([&] { return reportTwice(7, between, after); });
    // Connected at the run's start (C7): the first report may reach the task inside execute().
    std::optional<QSignalSpy> spy;
    QObject::connect(&command, &AsyncRelayCommand::executionTaskChanged, &command,
                     [&] { spy.emplace(command.executionTask(), &ExecutionTask::progressChanged); });
    command.execute();
    ExecutionTask *task = command.executionTask();
    QSignalSpy &progressChanged = *spy;
    QTRY_COMPARE_WITH_TIMEOUT(task->progress(), QVariant(7), 5000);
    QCOMPARE(progressChanged.count(), 1);
    between.open(); // reports the same value again
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(progressChanged.count(), 1);
    after.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(progressChanged.count(), 1);
}

// --------------------------------------------------------------------------------------------- C15

void tst_AsyncRelayCommand::waitReturnsTrueWhenOperationEnds_C15()
{
    const AsyncOperation<int> op = []() -> AsyncOperation<int> {
        co_await resumeAfter(10ms); // needs the event loop that wait() runs
        co_return 4;
    }();
    QVERIFY(op.isRunning());
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.getResults(), 4);
}

void tst_AsyncRelayCommand::waitReturnsFalseOnTimeout_C15()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    QVERIFY(!Testing::wait(op, 10ms));
    QVERIFY(op.isRunning());
    gate.open();
    QVERIFY(Testing::wait(op, 0ms)); // already ended: true at once
}

void tst_AsyncRelayCommand::waitUntilIdleReturnsTrueWhenCommandIsIdle_C15()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_await resumeAfter(10ms); });
    QVERIFY(Testing::waitUntilIdle(&command)); // idle before any run
    command.execute();
    QVERIFY(command.isRunning());
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!command.isRunning());
}

void tst_AsyncRelayCommand::waitUntilIdleReturnsFalseOnTimeout_C15()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    command.execute();
    QVERIFY(!Testing::waitUntilIdle(&command, 10ms));
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::propertyRecorderRecordsEveryNotifyingPropertyByDefault_C15()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Testing::PropertyRecorder recorder(&command);
    command.setConcurrency(ConcurrencyMode::Parallel);
    command.execute();
    const QStringList changes = recorder.changes();
    for (const char *expected :
         {"concurrency=Parallel", "executionTask=object", "isRunning=true", "isRunning=false"})
        QVERIFY2(changes.contains(QLatin1String(expected)), qPrintable(changes.join(QLatin1String(", "))));
}

void tst_AsyncRelayCommand::propertyRecorderClearForgetsChanges_C15()
{
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    Testing::PropertyRecorder recorder(&command, {QStringLiteral("isRunning")});
    command.execute();
    QCOMPARE(recorder.changes().size(), 2);
    recorder.clear();
    QCOMPARE(recorder.changes(), QStringList());
    command.execute();
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_AsyncRelayCommand::everySignalAtStartSeesFinalState_C14_data()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::newRow("Reject") << ConcurrencyMode::Reject;
    QTest::newRow("Parallel") << ConcurrencyMode::Parallel;
    QTest::newRow("Restart") << ConcurrencyMode::Restart;
    QTest::newRow("Queue") << ConcurrencyMode::Queue;
}

void tst_AsyncRelayCommand::everySignalAtStartSeesFinalState_C14()
{
    QFETCH(ConcurrencyMode, mode);
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return waitOn(gate); }, [](int value) { return value > 0; });
    command.setConcurrency(mode);
    QObject context;
    const auto *seen = watchState(&context, command);
    command.execute(1);
    QVERIFY(!seen->isEmpty());
    QCOMPARE(seen->constFirst().first, QStringLiteral("executionTaskChanged"));
    QCOMPARE(notFinal(*seen, stateOf(command)), QStringList());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::everySignalAtEndSeesFinalState_C14_data()
{
    everySignalAtStartSeesFinalState_C14_data();
}

void tst_AsyncRelayCommand::everySignalAtEndSeesFinalState_C14()
{
    QFETCH(ConcurrencyMode, mode);
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return waitOn(gate); }, [](int value) { return value > 0; });
    command.setConcurrency(mode);
    command.execute(1);
    QObject context;
    const auto *seen = watchState(&context, command, command.executionTask());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!seen->isEmpty());
    QCOMPARE(seen->constFirst().first, QStringLiteral("task.statusChanged"));
    QCOMPARE(notFinal(*seen, stateOf(command)), QStringList());
}

void tst_AsyncRelayCommand::everySignalAtFailedEndSeesFinalState_C14_data()
{
    everySignalAtStartSeesFinalState_C14_data();
}

void tst_AsyncRelayCommand::everySignalAtFailedEndSeesFinalState_C14()
{
    QFETCH(ConcurrencyMode, mode);
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return failActionAfter(gate, "boom"); },
                              [](int value) { return value > 0; });
    command.setConcurrency(mode);
    command.execute(1);
    QObject context;
    const auto *seen = watchState(&context, command, command.executionTask());
    QString atError;
    connect(&command, &Command::errorOccurred, &context, [&] { atError = stateOf(command); });
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!seen->isEmpty());
    QCOMPARE(notFinal(*seen, stateOf(command)), QStringList());
    QCOMPARE(atError, stateOf(command));
}

void tst_AsyncRelayCommand::everySignalOnCancelSeesFinalState_C14_data()
{
    everySignalAtStartSeesFinalState_C14_data();
}

void tst_AsyncRelayCommand::everySignalOnCancelSeesFinalState_C14()
{
    QFETCH(ConcurrencyMode, mode);
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return waitOn(gate); }, [](int value) { return value > 0; });
    command.setConcurrency(mode);
    command.execute(1);
    QObject context;
    const auto *seen = watchState(&context, command, command.executionTask());
    command.cancel();
    QVERIFY(!seen->isEmpty());
    QCOMPARE(seen->constFirst().first, QStringLiteral("isCancellationRequestedChanged"));
    QCOMPARE(notFinal(*seen, stateOf(command)), QStringList());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_AsyncRelayCommand::canExecuteRevisionGoesUpWithEveryCanExecuteChanged_C3()
{
    Gate gate;
    AsyncRelayCommand command([&gate](int) { return waitOn(gate); }, [](int value) { return value > 0; });
    QList<int> revisions;
    connect(&command, &Command::canExecuteChanged, this,
            [&] { revisions << command.property("canExecuteRevision").toInt(); });
    const int first = command.canExecuteRevision();
    command.notifyCanExecuteChanged(); // canExecute (for 0) stays false: a re-query all the same
    command.execute(1);                // Reject: a re-query at the start
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command)); // and at the end
    QCOMPARE(revisions, QList<int>({first + 1, first + 2, first + 3}));
    QCOMPARE(command.canExecuteRevision(), first + 3);
}

QTEST_GUILESS_MAIN(tst_AsyncRelayCommand)
#include "tst_asyncrelaycommand.moc"
