// SPDX-License-Identifier: MIT
// CommunityToolkit.Mvvm's own unit tests of RelayCommand, RelayCommand<T>, AsyncRelayCommand and
// AsyncRelayCommand<T> (Test_RelayCommand, Test_RelayCommandOfT, Test_AsyncRelayCommand,
// Test_AsyncRelayCommandOfT, and CreateCancelCommand from Test_IAsyncRelayCommandExtensions), ported to
// CommandKit (design.md C1–C11, C14). Where our contract deliberately differs, the slot checks OUR rule
// and a "Differs from CommunityToolkit.Mvvm" comment says what CTK does and why we don't.
//
// Mapping: CanExecute(p) ~ canExecuteWith(p), Execute ~ execute, ExecuteAsync ~ executeAsync (the error
// is carried by the returned operation), NotifyCanExecuteChanged ~ notifyCanExecuteChanged,
// CreateCancelCommand ~ cancelCommand, AllowConcurrentExecutions ~ ConcurrencyMode::Parallel (off:
// Reject), `null` ~ an empty QVariant, `new object()` ~ a QVariant of an unrelated type (QPoint),
// Func<Task> ~ a QCoro::Task delegate (no token: cannot be canceled), Func<CancellationToken, Task> ~ a
// delegate taking std::stop_token, TaskCompletionSource / Task.Delay ~ a Gate the test opens.
#include <QtCore/QObject>
#include <QtCore/QPoint>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/command.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <QCoro/QCoroTask>

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;
using namespace std::chrono_literals;

namespace {

// Bodies as free functions: their parameters live in the coroutine frame, not in a closure that could
// be destroyed while the body is suspended.

AsyncAction countNow(int &ticks)
{
    ++ticks;
    co_return;
}

// CTK: new AsyncRelayCommand(async () => { await Task.Delay(1000); ticks++; })
QCoro::Task<> taskCountAfter(Gate &gate, int &ticks)
{
    co_await gate;
    ++ticks;
}

QCoro::Task<> taskWaitOn(Gate &gate)
{
    co_await gate;
}

AsyncAction recordNow(QList<std::optional<int>> &received, std::optional<int> value)
{
    received << value;
    co_return;
}

AsyncAction storeNow(QString &target, QString value)
{
    target = std::move(value);
    co_return;
}

AsyncAction storeAfter(Gate &gate, QString &target, QString value)
{
    co_await gate;
    target = std::move(value);
}

AsyncAction failNow(std::string message)
{
    throw TestError(message);
    co_return;
}

// Resumed by a timer of the event loop: an error that escaped would unwind into Qt's event loop.
AsyncAction failAfterTimer(std::string message)
{
    co_await resumeAfter(1ms);
    throw TestError(message);
}

// CTK: try { await command.ExecuteAsync(null); } catch (Exception e) { executeException = e; }
AsyncOperation<QString> awaitedErrorOf(AsyncAction run)
{
    try {
        co_await run;
    } catch (const TestError &e) {
        co_return QString::fromUtf8(e.what());
    }
    co_return QStringLiteral("no TestError was rethrown");
}

const QVariant anObject = QVariant::fromValue(QPoint(1, 2)); // CTK: new object()

} // namespace

class tst_CommunityToolkitPorts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Test_RelayCommand
    void ctk_RelayCommand_AlwaysEnabled_C1();
    void ctk_RelayCommand_NotifyCanExecuteChangedRaisesCanExecuteChanged_C3();
    void ctk_RelayCommand_WithCanExecuteFunctionTrue_C2();
    void ctk_RelayCommand_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C2();

    // Test_RelayCommandOfT
    void ctk_RelayCommandOfT_AlwaysEnabled_C4();
    void ctk_RelayCommandOfT_NullConvertsToNullString_C4();
    void ctk_RelayCommandOfT_NullableParameterAcceptsNull_C4();
    void ctk_RelayCommandOfT_WithCanExecuteFunction_C2();
    void ctk_RelayCommandOfT_IntParameter_C4();
    void ctk_RelayCommandOfT_NullWithValueTypeIsDefaultValue_C4();
    void ctk_RelayCommandOfT_WrongTypeCanExecuteAnswersFalse_C4();
    void ctk_RelayCommandOfT_WrongTypeExecuteIsReportedNotThrown_C4();

    // Test_AsyncRelayCommand
    void ctk_AsyncRelayCommand_AlwaysEnabled_C1();
    void ctk_AsyncRelayCommand_NotifyCanExecuteChangedRaisesCanExecuteChanged_C3();
    void ctk_AsyncRelayCommand_ExecuteAsyncIsExecutionTask_C6();
    void ctk_AsyncRelayCommand_IsRunningBeforeDelegateRuns_C7();
    void ctk_AsyncRelayCommand_WithCanExecuteFunctionTrue_C1();
    void ctk_AsyncRelayCommand_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C1();
    void ctk_AsyncRelayCommand_WithCancellation_C11();
    void ctk_AsyncRelayCommand_WithCancellationNotifiesInDocumentedOrder_C14();
    void ctk_AsyncRelayCommand_CancelAfterRunIsNoOp_C11();
    void ctk_AsyncRelayCommand_CreateCancelCommand_C11();
    void ctk_AsyncRelayCommand_CreateCancelCommandOfUncancelableCommandIsDisabled_C11();
    void ctk_AsyncRelayCommand_CreateCancelCommandReturnsSameObject_C11();
    void ctk_AsyncRelayCommand_CreateCancelCommandCancelsItsOwnCommand_C11();
    void ctk_AsyncRelayCommand_AllowConcurrentExecutionsDisable_C8();
    void ctk_AsyncRelayCommand_ExecuteWhileRunningRejected_C8();
    void ctk_AsyncRelayCommand_AllowConcurrentExecutionsEnable_C8();
    void ctk_AsyncRelayCommand_ExecuteDoesNotRaiseCanExecuteChanged_C8();
    void ctk_AsyncRelayCommand_ExecuteWithoutConcurrencyRaisesCanExecuteChanged_C8();
    void ctk_AsyncRelayCommand_EnsureExceptionThrownSynchronously_C10();
    void ctk_AsyncRelayCommand_EnsureExceptionThrown_C10();
    void ctk_AsyncRelayCommand_ErrorAfterAwaitNeverEscapesIntoEventLoop_C9();
    void ctk_AsyncRelayCommand_SynchronousThrowNeverEscapesExecute_C9();

    // Test_AsyncRelayCommandOfT
    void ctk_AsyncRelayCommandOfT_AlwaysEnabled_C5();
    void ctk_AsyncRelayCommandOfT_NullConvertsToNullString_C4();
    void ctk_AsyncRelayCommandOfT_WithCanExecuteFunctionTrue_C5();
    void ctk_AsyncRelayCommandOfT_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C1();
    void ctk_AsyncRelayCommandOfT_NullWithValueTypeIsDefaultValue_C4();
    void ctk_AsyncRelayCommandOfT_NullableParameterAcceptsNull_C4();
    void ctk_AsyncRelayCommandOfT_WrongTypeIsReportedNotThrown_C4();
    void ctk_AsyncRelayCommandOfT_WithCancellation_C5();
    void ctk_AsyncRelayCommandOfT_ExecuteWhileRunningRejected_C8();
    void ctk_AsyncRelayCommandOfT_AllowConcurrentExecutionsEnable_C8();
    void ctk_AsyncRelayCommandOfT_EnsureExceptionThrown_C10();
};

// ------------------------------------------------------------------------------------ Test_RelayCommand

void tst_CommunityToolkitPorts::ctk_RelayCommand_AlwaysEnabled_C1()
{
    int ticks = 0;
    RelayCommand command([&ticks] { ++ticks; });
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(QVariant()));
    QVERIFY(command.canExecuteWith(anObject)); // a parameterless delegate ignores any parameter
    command.execute();
    QCOMPARE(ticks, 1);
    command.execute(anObject);
    QCOMPARE(ticks, 2);
}

void tst_CommunityToolkitPorts::ctk_RelayCommand_NotifyCanExecuteChangedRaisesCanExecuteChanged_C3()
{
    RelayCommand command([] {});
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    command.notifyCanExecuteChanged();
    QCOMPARE(changed.count(), 1); // the answer did not change: it is a "re-query" all the same
    QVERIFY(command.canExecute());
}

void tst_CommunityToolkitPorts::ctk_RelayCommand_WithCanExecuteFunctionTrue_C2()
{
    int ticks = 0;
    RelayCommand command([&ticks] { ++ticks; }, [] { return true; });
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(anObject));
    command.execute();
    QCOMPARE(ticks, 1);
    command.execute(anObject);
    QCOMPARE(ticks, 2);
}

void tst_CommunityToolkitPorts::ctk_RelayCommand_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C2()
{
    int ticks = 0;
    RelayCommand command([&ticks] { ++ticks; }, [] { return false; });
    QVERIFY(!command.canExecute());
    QVERIFY(!command.canExecuteWith(anObject));
    // Differs from CommunityToolkit.Mvvm: CTK's RelayCommand.Execute runs the delegate although CanExecute
    // is false ("the caller should check CanExecute first"), so CTK expects ticks == 1 and 2 here. Ours
    // behaves like QAction::trigger() on a disabled action: shortcuts, QML and C++ callers reach
    // execute() without asking first, and a disabled command must not run for them.
    command.execute();
    QCOMPARE(ticks, 0);
    command.execute(anObject);
    QCOMPARE(ticks, 0);
}

// ------------------------------------------------------------------------------- Test_RelayCommandOfT

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_AlwaysEnabled_C4()
{
    QString text;
    RelayCommand command([&text](const QString &value) { text = value; });
    QVERIFY(command.canExecuteWith(QStringLiteral("Text")));
    command.execute(QStringLiteral("Hello"));
    QCOMPARE(text, QStringLiteral("Hello"));
    command.execute(QStringLiteral("World"));
    QCOMPARE(text, QStringLiteral("World"));
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_NullConvertsToNullString_C4()
{
    UnhandledErrors errors;
    QStringList received;
    RelayCommand command([&received](const QString &value) { received << value; });
    // As in CommunityToolkit.Mvvm, where null is a valid string: CanExecute(null) is true and Execute(null)
    // passes null. Here an empty QVariant converts the way QVariant converts it (design.md, details of the
    // commands): to QString{}, a null QString. std::optional<QString> tells null from "" (next test).
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(QVariant()));
    QCOMPARE(thrown([&] { command.execute(QVariant()); }), QStringLiteral("nothing"));
    QCOMPARE(received.size(), 1);
    QVERIFY(received.constFirst().isNull());
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_NullableParameterAcceptsNull_C4()
{
    QList<std::optional<QString>> received;
    RelayCommand command([&received](const std::optional<QString> &value) { received << value; });
    QVERIFY(command.canExecute()); // the answer for an empty parameter, i.e. null
    QVERIFY(command.canExecuteWith(QVariant()));
    QVERIFY(command.canExecuteWith(QStringLiteral("Text")));
    command.execute(QStringLiteral("Hello"));
    command.execute(QVariant());
    QCOMPARE(received, (QList<std::optional<QString>>{QStringLiteral("Hello"), std::nullopt}));
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_WithCanExecuteFunction_C2()
{
    QString text;
    int calls = 0;
    RelayCommand command(
        [&](const std::optional<QString> &value) {
            ++calls;
            text = value.value_or(QStringLiteral("<null>"));
        },
        [](const std::optional<QString> &value) { return value.has_value(); }); // CTK: s => s != null
    QVERIFY(command.canExecuteWith(QStringLiteral("Text")));
    QVERIFY(!command.canExecuteWith(QVariant()));
    command.execute(QStringLiteral("Hello"));
    QCOMPARE(text, QStringLiteral("Hello"));
    // Differs from CommunityToolkit.Mvvm: CTK's Execute(null) runs the delegate although CanExecute(null)
    // is false and sets text to null. Ours runs nothing: execute() only runs when canExecuteWith() is true.
    command.execute(QVariant());
    QCOMPARE(calls, 1);
    QCOMPARE(text, QStringLiteral("Hello"));
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_IntParameter_C4()
{
    QList<int> received;
    RelayCommand command([&received](int value) { received << value; });
    QVERIFY(command.canExecuteWith(42));
    command.execute(42);
    // CTK casts (a string would throw); ours converts with QVariant's own rules, as a QML caller needs.
    command.execute(QStringLiteral("7"));
    QCOMPARE(received, QList<int>({42, 7}));
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_NullWithValueTypeIsDefaultValue_C4()
{
    UnhandledErrors errors;
    QList<int> received;
    RelayCommand command([&received](int value) { received << value; });
    RelayCommand guarded([&received](int value) { received << value; }, [](int value) { return value > 0; });
    // Differs from CommunityToolkit.Mvvm: CTK's CanExecute(null) on a value-type command is false and its
    // Execute(null) throws (an ArgumentException in 8.x, a NullReferenceException before). Ours converts an
    // empty QVariant as QVariant does, to int{} (0), and asks the predicate with it; execute() never throws.
    QVERIFY(command.canExecuteWith(QVariant()));
    QVERIFY(!guarded.canExecuteWith(QVariant())); // the predicate refuses 0
    QCOMPARE(thrown([&] { command.execute(QVariant()); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { guarded.execute(QVariant()); }), QStringLiteral("nothing"));
    QCOMPARE(received, QList<int>({0}));
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_WrongTypeCanExecuteAnswersFalse_C4()
{
    UnhandledErrors errors;
    RelayCommand command([](int) {});
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // Differs from CommunityToolkit.Mvvm: CTK's CanExecute(new object()) on a RelayCommand<string> throws
    // an ArgumentException. canExecuteWith() is called from bindings (CommandAction.enabled, Q2), where an
    // exception cannot go anywhere: a wrong type answers false, and silently (only execute() reports).
    bool answer = true;
    QCOMPARE(thrown([&] { answer = command.canExecuteWith(anObject); }), QStringLiteral("nothing"));
    QVERIFY(!answer);
    QCoreApplication::processEvents();
    QCOMPARE(errorSpy.count(), 0);
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_RelayCommandOfT_WrongTypeExecuteIsReportedNotThrown_C4()
{
    int calls = 0;
    RelayCommand command([&calls](int) { ++calls; });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // Differs from CommunityToolkit.Mvvm: CTK's Execute(new object()) throws an ArgumentException to the
    // caller. Ours never throws from execute() (C9): the delegate is not called, and the error, naming the
    // expected and the received type, goes to errorOccurred.
    QCOMPARE(thrown([&] { command.execute(anObject); }), QStringLiteral("nothing"));
    QCOMPARE(calls, 0);
    QCOMPARE(errorSpy.count(), 1);
    const QString message = errorSpy.at(0).at(0).toString();
    QVERIFY2(message.contains(QLatin1String("int")) && message.contains(QLatin1String("QPoint")),
             qPrintable(message));
}

// ------------------------------------------------------------------------------ Test_AsyncRelayCommand

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_AlwaysEnabled_C1()
{
    int ticks = 0;
    Gate gate;
    AsyncRelayCommand command([&] { return taskCountAfter(gate, ticks); });
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(anObject));
    QVERIFY(!command.canBeCanceled()); // a Func<Task> in CTK, a QCoro::Task without a token here
    QVERIFY(!command.isCancellationRequested());
    command.execute();
    QVERIFY(command.isRunning());
    QVERIFY(!command.canBeCanceled());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(ticks, 1);
    command.execute(anObject);
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(ticks, 2);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_NotifyCanExecuteChangedRaisesCanExecuteChanged_C3()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return taskWaitOn(gate); });
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    command.notifyCanExecuteChanged();
    QCOMPARE(changed.count(), 1);
    QVERIFY(command.canExecute());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_ExecuteAsyncIsExecutionTask_C6()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return taskWaitOn(gate); });
    QCOMPARE(command.executionTask(), nullptr);
    QVERIFY(!command.isRunning());
    const AsyncAction run = command.executeAsync();
    ExecutionTask *task = command.executionTask();
    QVERIFY(task != nullptr);
    QVERIFY(task->operation() == run); // CTK: Assert.AreSame(command.ExecutionTask, task)
    QCOMPARE(task->id(), run.id());
    QVERIFY(command.isRunning());
    gate.open();
    QVERIFY(Testing::wait(run)); // CTK: await task
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY(!command.isRunning());
    QCOMPARE(command.executionTask(), task);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_IsRunningBeforeDelegateRuns_C7()
{
    Gate gate;
    AsyncRelayCommand *self = nullptr;
    std::optional<bool> runningInDelegate;
    ExecutionTask *taskInDelegate = nullptr;
    quint64 taskIdInDelegate = 0;
    AsyncRelayCommand command([&] {
        // The delegate's synchronous part, before it returns its operation.
        runningInDelegate = self->isRunning();
        taskInDelegate = self->executionTask();
        taskIdInDelegate = taskInDelegate ? taskInDelegate->id() : 0;
        return waitOn(gate);
    });
    self = &command;
    // Differs from CommunityToolkit.Mvvm: CTK sets ExecutionTask (and with it IsRunning) from the Task the
    // delegate returns, i.e. after the delegate's synchronous part has run: inside it IsRunning is still
    // false and ExecutionTask is the previous one. Ours sets both before the delegate's first line (C7), so
    // a busy indicator or a Reject guard is already in place for whatever the delegate does synchronously.
    const AsyncAction run = command.executeAsync();
    QVERIFY(runningInDelegate.has_value());
    QCOMPARE(*runningInDelegate, true);
    QVERIFY(taskInDelegate != nullptr);
    QCOMPARE(taskIdInDelegate, run.id());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_WithCanExecuteFunctionTrue_C1()
{
    int ticks = 0;
    AsyncRelayCommand command([&ticks] { return countNow(ticks); }, [] { return true; });
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(anObject));
    command.execute();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(ticks, 1);
    command.execute(anObject);
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(ticks, 2);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C1()
{
    int ticks = 0;
    AsyncRelayCommand command([&ticks] { return countNow(ticks); }, [] { return false; });
    Testing::PropertyRecorder recorder(&command,
                                       {QStringLiteral("isRunning"), QStringLiteral("executionTask")});
    QVERIFY(!command.canExecute());
    QVERIFY(!command.canExecuteWith(anObject));
    // Differs from CommunityToolkit.Mvvm: CTK's AsyncRelayCommand.Execute runs the delegate although
    // CanExecute is false (CTK expects ticks == 1, then 2). Ours runs nothing, like QAction::trigger() on a
    // disabled action; executeAsync() returns an operation that has already ended Canceled.
    command.execute();
    command.execute(anObject);
    const AsyncAction run = command.executeAsync();
    QCOMPARE(ticks, 0);
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!run.isRunning());
    QCOMPARE(command.executionTask(), nullptr);
    QCOMPARE(recorder.changes(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_WithCancellation_C11()
{
    Gate gate;
    std::stop_token token;
    AsyncRelayCommand command([&](std::stop_token stop) { // CTK: new(token => tcs.Task)
        token = stop;
        return waitOn(gate);
    });
    QVERIFY(command.canExecute());
    QVERIFY(!command.canBeCanceled());
    QVERIFY(!command.isCancellationRequested());
    command.execute();
    QVERIFY(command.canBeCanceled());
    QVERIFY(!command.isCancellationRequested());
    QVERIFY(!token.stop_requested());
    command.cancel();
    QVERIFY(token.stop_requested());
    QVERIFY(!command.canBeCanceled());
    QVERIFY(command.isCancellationRequested());
    QVERIFY(command.isRunning()); // as in CTK: running until the canceled work really ends
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    QVERIFY(command.isCancellationRequested());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_WithCancellationNotifiesInDocumentedOrder_C14()
{
    Gate gate;
    AsyncRelayCommand command([&gate](std::stop_token) { return waitOn(gate); });
    command.execute();
    Testing::PropertyRecorder recorder(
        &command, {QStringLiteral("canBeCanceled"), QStringLiteral("isCancellationRequested")});
    // Differs from CommunityToolkit.Mvvm: CTK's Cancel() raises PropertyChanged for CanBeCanceled, then for
    // IsCancellationRequested. docs/commands.md documents the reverse: the request first, then the state
    // that follows from it, so a canBeCanceledChanged handler already sees isCancellationRequested true.
    command.cancel();
    QCOMPARE(recorder.changes(), QStringList({QStringLiteral("isCancellationRequested=true"),
                                              QStringLiteral("canBeCanceled=false")}));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_CancelAfterRunIsNoOp_C11()
{
    Gate gate;
    AsyncRelayCommand command([&gate](std::stop_token) { return waitOn(gate); });
    const AsyncAction run = command.executeAsync();
    gate.open();
    QVERIFY(Testing::wait(run));
    Testing::PropertyRecorder recorder(&command);
    Testing::PropertyRecorder taskRecorder(command.executionTask());
    // Differs from CommunityToolkit.Mvvm: CTK's Cancel() after the run has ended still cancels the finished
    // run's CancellationTokenSource, so IsCancellationRequested turns true with nothing running. Ours is a
    // no-op (C11): isCancellationRequested describes the latest run, which was not canceled.
    command.cancel();
    QCOMPARE(recorder.changes(), QStringList());
    QCOMPARE(taskRecorder.changes(), QStringList());
    QVERIFY(!command.isCancellationRequested());
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_CreateCancelCommand_C11()
{
    // Test_IAsyncRelayCommandExtensions_CreateCancelCommand
    Gate gate;
    AsyncRelayCommand command([&gate](std::stop_token) { return waitOn(gate); });
    Command *cancelCommand = command.cancelCommand();
    QVERIFY(cancelCommand != nullptr);
    QSignalSpy changed(cancelCommand, &Command::canExecuteChanged);
    QVERIFY(!cancelCommand->canExecute());
    const AsyncAction run = command.executeAsync();
    QVERIFY(cancelCommand->canExecute());
    QCOMPARE(changed.count(), 1);
    cancelCommand->execute();
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(command.isCancellationRequested());
    QVERIFY(!cancelCommand->canExecute());
    QCOMPARE(changed.count(), 2);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!cancelCommand->canExecute());
    QCOMPARE(changed.count(), 2);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_CreateCancelCommandOfUncancelableCommandIsDisabled_C11()
{
    // CTK returns its DisabledCommand for a command that does not support cancellation.
    Gate gate;
    AsyncRelayCommand command([&gate] { return taskWaitOn(gate); }); // QCoro::Task, no token
    Command *cancelCommand = command.cancelCommand();
    QSignalSpy changed(cancelCommand, &Command::canExecuteChanged);
    QVERIFY(!cancelCommand->canExecute());
    command.execute();
    QVERIFY(!cancelCommand->canExecute());
    cancelCommand->execute(); // disabled: runs nothing
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Started);
    QVERIFY(!command.isCancellationRequested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(changed.count(), 0);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_CreateCancelCommandReturnsSameObject_C11()
{
    AsyncRelayCommand command([](std::stop_token) -> AsyncAction { co_return; });
    // Differs from CommunityToolkit.Mvvm: CTK's CreateCancelCommand() is an extension method that wraps the
    // command in a new CancelCommand on every call. Ours is a CONSTANT property for QML bindings
    // (C11): the same child object every time, deleted with the command.
    Command *first = command.cancelCommand();
    QCOMPARE(command.cancelCommand(), first);
    QCOMPARE(first->parent(), &command);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_CreateCancelCommandCancelsItsOwnCommand_C11()
{
    // CTK's CancelCommand wraps the one command it was created for; so must ours, whatever other children
    // the command has (here a RelayCommand of the viewmodel's that happens to be parented to it).
    Gate gate;
    AsyncRelayCommand command([&gate](std::stop_token) { return waitOn(gate); });
    int otherCalls = 0;
    new RelayCommand([&otherCalls] { ++otherCalls; }, &command);
    const AsyncAction run = command.executeAsync();
    command.cancelCommand()->execute();
    const bool canceledItsOwnRun = run.status() == AsyncStatus::Canceled && otherCalls == 0;
    QVERIFY(canceledItsOwnRun);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_AllowConcurrentExecutionsDisable_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    int calls = 0;
    AsyncRelayCommand command([&] { return waitOn(*gates[calls++]); }); // default: Reject
    QCOMPARE(command.concurrency(), ConcurrencyMode::Reject);
    QVERIFY(command.canExecute());
    const AsyncAction run = command.executeAsync();
    QVERIFY(command.isRunning());
    QVERIFY(!command.canExecute());
    first.open();
    QVERIFY(Testing::wait(run));
    QVERIFY(!command.isRunning());
    QVERIFY(command.canExecute());
    const AsyncAction next = command.executeAsync(); // allowed again once the first has ended
    QCOMPARE(calls, 2);
    QVERIFY(command.isRunning());
    second.open();
    QVERIFY(Testing::wait(next));
    QCOMPARE(next.status(), AsyncStatus::Completed);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_ExecuteWhileRunningRejected_C8()
{
    Gate gate;
    int calls = 0;
    AsyncRelayCommand command([&] {
        ++calls;
        return waitOn(gate);
    });
    const AsyncAction running = command.executeAsync();
    ExecutionTask *task = command.executionTask();
    // Differs from CommunityToolkit.Mvvm: with AllowConcurrentExecutions = false CTK only turns CanExecute
    // false; a direct Execute() (or ExecuteAsync()) still starts a second, overlapping run. Ours guards
    // execute() itself (C8): in Reject mode a run while running is impossible, whoever calls.
    command.execute();
    const AsyncAction refused = command.executeAsync();
    QCOMPARE(calls, 1);
    QCOMPARE(command.executionTask(), task);
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QVERIFY(!refused.isRunning());
    QCOMPARE(running.status(), AsyncStatus::Started);
    gate.open();
    QVERIFY(Testing::wait(running));
    QCOMPARE(running.status(), AsyncStatus::Completed);
    QCOMPARE(calls, 1);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_AllowConcurrentExecutionsEnable_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    int calls = 0;
    AsyncRelayCommand command([&] { return waitOn(*gates[calls++]); });
    command.setConcurrency(ConcurrencyMode::Parallel);
    QVERIFY(command.canExecute());
    const AsyncAction firstRun = command.executeAsync();
    QVERIFY(command.isRunning());
    QVERIFY(command.canExecute()); // still true while running
    const AsyncAction secondRun = command.executeAsync();
    QCOMPARE(calls, 2);
    QVERIFY(first.isWaiting());
    QVERIFY(second.isWaiting());
    first.open();
    QVERIFY(Testing::wait(firstRun));
    QVERIFY(command.isRunning()); // the second one still runs
    second.open();
    QVERIFY(Testing::wait(secondRun));
    QVERIFY(!command.isRunning());
    QCOMPARE(firstRun.status(), AsyncStatus::Completed);
    QCOMPARE(secondRun.status(), AsyncStatus::Completed);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_ExecuteDoesNotRaiseCanExecuteChanged_C8()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); });
    command.setConcurrency(ConcurrencyMode::Parallel); // CTK: allowConcurrentExecutions: true
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    QVERIFY(command.canExecute());
    command.execute();
    QCOMPARE(changed.count(), 0);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(changed.count(), 0);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_ExecuteWithoutConcurrencyRaisesCanExecuteChanged_C8()
{
    Gate gate;
    AsyncRelayCommand command([&gate] { return waitOn(gate); }); // Reject
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    command.execute();
    QCOMPARE(changed.count(), 1); // at the start...
    QVERIFY(!command.canExecute());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(changed.count(), 2); // ...and at the end
    QVERIFY(command.canExecute());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_EnsureExceptionThrownSynchronously_C10()
{
    UnhandledErrors errors;
    AsyncRelayCommand command([] { return failNow("EnsureExceptionThrownSynchronously"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred); // handled: not a process-wide error
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(); }), QStringLiteral("nothing"));
    const AsyncOperation<QString> awaiting = awaitedErrorOf(run); // CTK: await command.ExecuteAsync(null)
    QVERIFY(Testing::wait(awaiting));
    QCOMPARE(awaiting.getResults(), QStringLiteral("EnsureExceptionThrownSynchronously"));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_EnsureExceptionThrown_C10()
{
    UnhandledErrors errors;
    Gate gate;
    AsyncRelayCommand command([&gate] { return failActionAfter(gate, "EnsureExceptionThrown"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync();
    const AsyncOperation<QString> awaiting = awaitedErrorOf(run);
    QVERIFY(awaiting.isRunning());
    QCOMPARE(thrown([&] { gate.open(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::wait(awaiting));
    QCOMPARE(awaiting.getResults(), QStringLiteral("EnsureExceptionThrown"));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(errorSpy.count(), 1);
    QCOMPARE(errors.messages(), QStringList());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_ErrorAfterAwaitNeverEscapesIntoEventLoop_C9()
{
    UnhandledErrors errors;
    AsyncRelayCommand command([] { return failAfterTimer("thrown from a timer's resumption"); });
    command.setObjectName(QStringLiteral("failing"));
    // Differs from CommunityToolkit.Mvvm: CTK's Execute() awaits the task in an async void method and
    // rethrows its exception into the synchronisation context, which crashes the application, unless the
    // command has FlowExceptionsToTaskScheduler (then it goes to TaskScheduler.UnobservedTaskException).
    // Ours never lets it escape (C9): the run ends Error and, as nobody listens, the error goes to the
    // process-wide handler, our counterpart of UnobservedTaskException.
    QCOMPARE(thrown([&] { command.execute(); }), QStringLiteral("nothing"));
    QVERIFY(command.isRunning());
    QVERIFY(Testing::waitUntilIdle(&command)); // the body resumes and throws inside this event loop
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Error);
    QTRY_COMPARE_WITH_TIMEOUT(errors.messages(),
                              QStringList({QStringLiteral("thrown from a timer's resumption")}), 5000);
    QVERIFY(errors.where().constFirst().contains(QLatin1String("failing")));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommand_SynchronousThrowNeverEscapesExecute_C9()
{
    UnhandledErrors errors;
    // Not a coroutine: it throws before it has built an operation, like a non-async Func<Task> lambda.
    AsyncRelayCommand command([]() -> AsyncAction { throw TestError("thrown before any operation exists"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // Differs from CommunityToolkit.Mvvm: a delegate that throws before returning its Task throws straight
    // out of CTK's Execute() and ExecuteAsync(). Ours never throws from execute() (C9): the run ends Error.
    QCOMPARE(thrown([&] { command.execute(); }), QStringLiteral("nothing"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Error);
    QCOMPARE(command.executionTask()->errorString(), QStringLiteral("thrown before any operation exists"));
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QCOMPARE(errors.messages(), QStringList());
}

// -------------------------------------------------------------------------- Test_AsyncRelayCommandOfT

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_AlwaysEnabled_C5()
{
    QString text;
    AsyncRelayCommand command([&text](const QString &value) { return storeNow(text, value); });
    QVERIFY(command.canExecuteWith(QStringLiteral("Text")));
    QCOMPARE(command.executionTask(), nullptr);
    QVERIFY(!command.isRunning());
    const AsyncAction run = command.executeAsync(QStringLiteral("42"));
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(text, QStringLiteral("42"));
    command.execute(QStringLiteral("Hello"));
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(text, QStringLiteral("Hello"));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_NullConvertsToNullString_C4()
{
    QString text = QStringLiteral("unchanged");
    AsyncRelayCommand command([&text](const QString &value) { return storeNow(text, value); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // As in CommunityToolkit.Mvvm: AsyncRelayCommand<string>.CanExecute(null) is true and Execute(null)
    // passes null. Here an empty QVariant converts to QString{} (C4), so the run gets a null QString.
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(QVariant()));
    const AsyncAction run = command.executeAsync(QVariant());
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY(text.isNull());
    QCOMPARE(errorSpy.count(), 0);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_WithCanExecuteFunctionTrue_C5()
{
    int ticks = 0;
    Gate gate;
    QString text;
    AsyncRelayCommand command(
        [&](const QString &value) {
            ticks = value.toInt(); // CTK: s => { ticks = int.Parse(s); ... }
            return storeAfter(gate, text, value);
        },
        [](const QString &) { return true; });
    QVERIFY(command.canExecuteWith(QStringLiteral("1")));
    command.execute(QStringLiteral("42"));
    QCOMPARE(ticks, 42);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(text, QStringLiteral("42"));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_WithCanExecuteFunctionFalse_ExecuteRunsNothing_C1()
{
    int ticks = 0;
    AsyncRelayCommand command(
        [&ticks](const QString &value) {
            ticks = value.toInt();
            return countNow(ticks);
        },
        [](const QString &) { return false; });
    QVERIFY(!command.canExecuteWith(QStringLiteral("1")));
    // Differs from CommunityToolkit.Mvvm: CTK's Execute("42") runs the delegate although CanExecute is false
    // (CTK expects ticks == 42). Ours runs nothing when canExecuteWith(parameter) is false.
    command.execute(QStringLiteral("42"));
    const AsyncAction run = command.executeAsync(QStringLiteral("42"));
    QCOMPARE(ticks, 0);
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!run.isRunning());
    QCOMPARE(command.executionTask(), nullptr);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_NullWithValueTypeIsDefaultValue_C4()
{
    QList<std::optional<int>> received;
    AsyncRelayCommand command([&received](int value) { return recordNow(received, value); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // Differs from CommunityToolkit.Mvvm: CTK's CanExecute(null) on a value-type command is false and its
    // Execute(null) throws. Ours converts an empty QVariant as QVariant does, to int{} (0): the command can
    // execute, and the run gets 0. Nothing throws, nothing is reported.
    QVERIFY(command.canExecuteWith(QVariant()));
    AsyncAction run;
    QCOMPARE(thrown([&] { run = command.executeAsync(QVariant()); }), QStringLiteral("nothing"));
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(received, (QList<std::optional<int>>{0}));
    QCOMPARE(errorSpy.count(), 0);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_NullableParameterAcceptsNull_C4()
{
    QList<std::optional<int>> received;
    AsyncRelayCommand command([&received](std::optional<int> value) { return recordNow(received, value); });
    QVERIFY(command.canExecute());
    QVERIFY(command.canExecuteWith(QVariant()));
    const AsyncAction withNull = command.executeAsync(QVariant());
    QVERIFY(Testing::wait(withNull));
    const AsyncAction withValue = command.executeAsync(3);
    QVERIFY(Testing::wait(withValue));
    QCOMPARE(withNull.status(), AsyncStatus::Completed);
    QCOMPARE(withValue.status(), AsyncStatus::Completed);
    QCOMPARE(received, (QList<std::optional<int>>{std::nullopt, 3}));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_WrongTypeIsReportedNotThrown_C4()
{
    int calls = 0;
    AsyncRelayCommand command([&calls](int) { return countNow(calls); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    // Differs from CommunityToolkit.Mvvm: CTK's CanExecute(new object()) and Execute(new object()) throw an
    // ArgumentException. Ours: canExecuteWith() answers false silently, execute() reports and runs nothing.
    bool answer = true;
    QCOMPARE(thrown([&] { answer = command.canExecuteWith(anObject); }), QStringLiteral("nothing"));
    QVERIFY(!answer);
    QCOMPARE(errorSpy.count(), 0);
    QCOMPARE(thrown([&] { command.execute(anObject); }), QStringLiteral("nothing"));
    QCOMPARE(calls, 0);
    QCOMPARE(errorSpy.count(), 1);
    QCOMPARE(command.executionTask(), nullptr);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_WithCancellation_C5()
{
    Gate gate;
    std::stop_token token;
    int received = 0;
    AsyncRelayCommand command([&](int value, std::stop_token stop) { // CTK: new((s, token) => tcs.Task)
        received = value;
        token = stop;
        return waitOn(gate);
    });
    QVERIFY(!command.canBeCanceled());
    command.execute(5);
    QCOMPARE(received, 5);
    QVERIFY(command.canBeCanceled());
    QVERIFY(!command.isCancellationRequested());
    command.cancel();
    QVERIFY(token.stop_requested());
    QVERIFY(!command.canBeCanceled());
    QVERIFY(command.isCancellationRequested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_ExecuteWhileRunningRejected_C8()
{
    Gate gate;
    QList<int> started;
    AsyncRelayCommand command([&](int value) {
        started << value;
        return waitOn(gate);
    });
    command.execute(1);
    QVERIFY(!command.canExecuteWith(2));
    // Differs from CommunityToolkit.Mvvm: CTK's Execute(2) still starts a second run when
    // AllowConcurrentExecutions is false; ours starts nothing (C8, Reject guards execute() itself).
    command.execute(2);
    QCOMPARE(started, QList<int>({1}));
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(started, QList<int>({1}));
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_AllowConcurrentExecutionsEnable_C8()
{
    Gate first;
    Gate second;
    Gate *gates[] = {&first, &second};
    AsyncRelayCommand command([&gates](int i) { return waitOn(*gates[i]); });
    command.setConcurrency(ConcurrencyMode::Parallel);
    const AsyncAction firstRun = command.executeAsync(0);
    QVERIFY(command.canExecuteWith(1));
    const AsyncAction secondRun = command.executeAsync(1);
    QVERIFY(first.isWaiting());
    QVERIFY(second.isWaiting());
    QCOMPARE(command.executionTask()->id(), secondRun.id()); // the latest run
    second.open();
    QVERIFY(Testing::wait(secondRun));
    QVERIFY(command.isRunning()); // the first one still runs
    first.open();
    QVERIFY(Testing::wait(firstRun));
    QVERIFY(!command.isRunning());
}

void tst_CommunityToolkitPorts::ctk_AsyncRelayCommandOfT_EnsureExceptionThrown_C10()
{
    Gate gate;
    AsyncRelayCommand command(
        [&gate](const QString &message) { return failActionAfter(gate, message.toStdString()); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    const AsyncAction run = command.executeAsync(QStringLiteral("EnsureExceptionThrown of T"));
    const AsyncOperation<QString> awaiting = awaitedErrorOf(run);
    gate.open();
    QVERIFY(Testing::wait(awaiting));
    QCOMPARE(awaiting.getResults(), QStringLiteral("EnsureExceptionThrown of T"));
    QCOMPARE(errorSpy.count(), 1);
}

QTEST_GUILESS_MAIN(tst_CommunityToolkitPorts)
#include "tst_communitytoolkitports.moc"
