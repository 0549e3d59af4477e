// SPDX-License-Identifier: MIT
// Unit tests of what a viewmodel uses around its commands (design.md C16–C18): member functions as
// delegates and predicates, the result of a run (onResult(), resultReady), lastError.
#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QProperty>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/cancellation.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <QCoro/QCoroTask>

#include <stdexcept>
#include <stop_token>

#include "testsupport.h"

using namespace CommandKit;
using CommandKitTests::TestError;
using CommandKitTests::UnhandledErrors;

namespace {

// A viewmodel with a member function for every delegate shape of C5 and C2, and member predicates.
class Members : public QObject
{
    Q_OBJECT

public:
    QStringList calls;
    QProperty<bool> allowed{true};
    CommandKitTests::Gate ownGate;
    CommandKitTests::Gate *gate = &ownGate;

    void plain() { calls << "plain"; }
    void typed(const QString &text) { calls << "typed:" + text; }
    bool canRun() const { return allowed.value(); }
    bool canRunWith(const QString &text) const { return allowed.value() && !text.isEmpty(); }

    AsyncOperation<int> none()
    {
        calls << "none";
        co_return 1;
    }
    AsyncOperation<int> withParameter(int value)
    {
        calls << "withParameter";
        co_return value * 2;
    }
    AsyncOperation<int, int> withToken(std::stop_token stop)
    {
        calls << QStringLiteral("withToken:%1").arg(stop.stop_possible());
        co_return 3;
    }
    AsyncOperation<QString> withBoth(QString text, std::stop_token stop) const
    {
        co_return text + (stop.stop_possible() ? "+token" : "");
    }
    QFuture<int> future()
    {
        calls << "future";
        QPromise<int> promise;
        promise.start();
        promise.addResult(4);
        promise.finish();
        return promise.future();
    }
    QCoro::Task<int> task(int value)
    {
        calls << "task";
        co_return value + 1;
    }
    AsyncAction held() { co_await *gate; }
    AsyncOperation<QStringList> list() { co_return QStringList{"a", "b"}; }

    // "Await the work, then assign" (design.md C17): the work on the pool, the assignment back here.
    QStringList assigned;
    QThread *assignedOn = nullptr;
    Testing::Gate heldGate;
    static AsyncOperation<QStringList> readOnPool(Testing::Gate gate, QStringList input)
    {
        co_await resumeBackground();
        co_await gate;
        co_return input;
    }
    AsyncAction reload(QStringList input)
    {
        assigned = co_await readOnPool(heldGate, std::move(input)); // A12: continues on this thread
        assignedOn = QThread::currentThread();
    }
    AsyncAction fails() { throw TestError("no luck"); }
    AsyncOperation<int> failsLater()
    {
        co_await *gate;
        throw TestError("later");
    }
};

} // namespace

class tst_ViewModelSupport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memberFunctionDelegateRuns_C16();
    void memberFunctionDelegateOfEveryShape_C16();
    void memberPredicateFollowsBindable_C16();
    void memberCommandIsChildOfObject_C16();
    void memberNeverCalledOnceObjectIsDestroyed_C16();
    void deletingObjectMidRunCancelsRun_C16();

    void awaitThenAssignRunsOnCommandThread_C17();
    void awaitThenAssignSkippedWhenCanceled_C17();
    void resultReadyCarriesResultAfterFinalState_C17();
    void onResultTypedCallbackReceivesResult_C17();
    void onResultRunsBeforeResultReadyAndExecuteAsyncEnd_C17();
    void onResultNotCalledForFailureOrCancel_C17();
    void onResultOfRunEndingInsideExecute_C17();
    void onResultWrongTypeIsReported_C17();
    void onResultThrowingCallbackIsReported_C17();

    void lastErrorSetOnFailureClearedOnStart_C18();
    void lastErrorSignalsInUpdateOrder_C18();
    void lastErrorUntouchedByCancel_C18();
    void lastErrorClearedByNextQueuedRun_C18();
    void lastErrorOfRelayCommand_C18();
};

void tst_ViewModelSupport::memberFunctionDelegateRuns_C16()
{
    Members vm;
    auto *plain = new RelayCommand(&vm, &Members::plain);
    auto *typed = new RelayCommand(&vm, &Members::typed, &Members::canRunWith);
    plain->execute();
    QVERIFY(typed->canExecuteWith(QStringLiteral("x")));
    QVERIFY(!typed->canExecuteWith(QString()));
    typed->execute(QStringLiteral("x"));
    typed->execute(QString()); // refused by the member predicate
    QCOMPARE(typed->parameterTypeName(), QStringLiteral("QString"));
    QCOMPARE(vm.calls, QStringList({"plain", "typed:x"}));
    // A lambda predicate with a member delegate.
    auto *mixed = new RelayCommand(&vm, &Members::plain, [] { return false; });
    QVERIFY(!mixed->canExecute());
}

void tst_ViewModelSupport::memberFunctionDelegateOfEveryShape_C16()
{
    Members vm;
    auto *none = new AsyncRelayCommand(&vm, &Members::none, &Members::canRun);
    auto *withParameter = new AsyncRelayCommand(&vm, &Members::withParameter);
    auto *withToken = new AsyncRelayCommand(&vm, &Members::withToken);
    auto *withBoth = new AsyncRelayCommand(&vm, &Members::withBoth);
    auto *future = new AsyncRelayCommand(&vm, &Members::future);
    auto *task = new AsyncRelayCommand(&vm, &Members::task);

    QCOMPARE(withParameter->parameterTypeName(), QStringLiteral("int"));
    QCOMPARE(withBoth->parameterTypeName(), QStringLiteral("QString"));
    QVERIFY(withToken->isStoppable() && future->isStoppable() && none->isStoppable());
    QVERIFY(!task->isStoppable());

    const auto resultOf = [](AsyncRelayCommand *command, const QVariant &parameter = {}) {
        const AsyncAction run = command->executeAsync(parameter);
        if (!Testing::wait(run) || run.status() != AsyncStatus::Completed)
            return QVariant(QStringLiteral("not completed"));
        return command->executionTask()->result();
    };
    QCOMPARE(resultOf(none), QVariant(1));
    QCOMPARE(resultOf(withParameter, 21), QVariant(42));
    QCOMPARE(resultOf(withToken), QVariant(3));
    QCOMPARE(resultOf(withBoth, QStringLiteral("t")), QVariant(QStringLiteral("t+token")));
    QCOMPARE(resultOf(future), QVariant(4));
    QCOMPARE(resultOf(task, 9), QVariant(10));
    QCOMPARE(vm.calls, QStringList({"none", "withParameter", "withToken:1", "future", "task"}));
}

void tst_ViewModelSupport::memberPredicateFollowsBindable_C16()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::none, &Members::canRun);
    QSignalSpy changes(command, &Command::canExecuteChanged);
    QVERIFY(command->canExecute());
    vm.allowed = false; // C3: the member predicate reads a bindable
    QVERIFY(!command->canExecute());
    QCOMPARE(changes.count(), 1);
    vm.allowed = true;
    QVERIFY(command->canExecute());
    QCOMPARE(changes.count(), 2);
}

void tst_ViewModelSupport::memberCommandIsChildOfObject_C16()
{
    auto *vm = new Members;
    QPointer<Command> relay = new RelayCommand(vm, &Members::plain);
    QPointer<Command> async = new AsyncRelayCommand(vm, &Members::none);
    QCOMPARE(relay->parent(), vm);
    QCOMPARE(async->parent(), vm);
    QCOMPARE(async->thread(), vm->thread());
    delete vm;
    QVERIFY(relay.isNull() && async.isNull());
}

void tst_ViewModelSupport::memberNeverCalledOnceObjectIsDestroyed_C16()
{
    auto *vm = new Members;
    auto *relay = new RelayCommand(vm, &Members::plain, &Members::canRun);
    auto *async = new AsyncRelayCommand(vm, &Members::none);
    // Inside the object's QObject destructor, before its children are deleted: nothing reaches it.
    QStringList seen;
    bool canExecuteInDestructor = true;
    AsyncStatus statusInDestructor = AsyncStatus::Started;
    connect(vm, &QObject::destroyed, [&] {
        relay->notifyCanExecuteChanged();
        canExecuteInDestructor = relay->canExecute();
        relay->execute();
        const AsyncAction run = async->executeAsync();
        statusInDestructor = run.status();
        seen << QStringLiteral("destroyed");
    });
    // Kept alive past the object: taken out of it first, as an app that reparents would.
    auto *survivor = new RelayCommand(vm, &Members::plain);
    survivor->setParent(nullptr);
    delete vm;
    QCOMPARE(seen, QStringList({"destroyed"}));
    QVERIFY(!canExecuteInDestructor);
    QCOMPARE(statusInDestructor, AsyncStatus::Canceled); // the run would have called the member
    survivor->execute(); // no object: a void member is not called, nothing crashes
    QVERIFY(survivor->canExecute());
    delete survivor;
}

void tst_ViewModelSupport::deletingObjectMidRunCancelsRun_C16()
{
    CommandKitTests::Gate gate; // outlives the object: the body stays suspended on it after the delete
    auto *vm = new Members;
    vm->gate = &gate;
    auto *command = new AsyncRelayCommand(vm, &Members::held);
    const AsyncAction run = command->executeAsync();
    QVERIFY(gate.isWaiting());
    delete vm; // C13: the command goes with its parent and cancels the run
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    gate.open(); // the body resumes, throws at its await (A14) and touches nothing of the object
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
}

void tst_ViewModelSupport::awaitThenAssignRunsOnCommandThread_C17()
{
    Members vm;
    vm.heldGate.open();
    auto *command = new AsyncRelayCommand(&vm, &Members::reload);
    QVERIFY(Testing::wait(command->executeAsync(QStringList{"x", "y"})));
    QCOMPARE(vm.assigned, QStringList({"x", "y"}));
    QCOMPARE(vm.assignedOn, QThread::currentThread());
}

void tst_ViewModelSupport::awaitThenAssignSkippedWhenCanceled_C17()
{
    Members vm;
    vm.assigned = QStringList{"before"};
    auto *command = new AsyncRelayCommand(&vm, &Members::reload);
    const AsyncAction run = command->executeAsync(QStringList{"x"});
    QVERIFY(vm.heldGate.waitForArrivals()); // the work is on the pool, held
    command->cancel();                      // A15: reaches the awaited operation and its gate
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(vm.assigned, QStringList({"before"})); // the co_await threw: nothing assigned
    QCOMPARE(vm.assignedOn, nullptr);
}

void tst_ViewModelSupport::resultReadyCarriesResultAfterFinalState_C17()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::list);
    QStringList log;
    connect(command, &AsyncRelayCommand::isRunningChanged, [&] { log << "isRunningChanged"; });
    connect(command, &AsyncRelayCommand::resultReady, [&](const QVariant &result) {
        log << "resultReady:" + result.toStringList().join(',') +
                   QStringLiteral(" running=%1 status=%2")
                       .arg(command->isRunning())
                       .arg(int(command->executionTask()->status()));
    });
    QVERIFY(Testing::wait(command->executeAsync()));
    QCOMPARE(log,
             QStringList(
                 {"isRunningChanged", "isRunningChanged",
                  QStringLiteral("resultReady:a,b running=0 status=%1").arg(int(AsyncStatus::Completed))}));
}

void tst_ViewModelSupport::onResultTypedCallbackReceivesResult_C17()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::withParameter);
    QList<int> received;
    int completions = 0;
    command->onResult([&](int value) { received << value; });
    QVERIFY(Testing::wait(command->executeAsync(5)));
    QVERIFY(Testing::wait(command->executeAsync(6)));
    QCOMPARE(received, QList<int>({10, 12}));
    // A callback without a parameter replaces it; a converting type works as C4 converts.
    command->onResult([&] { ++completions; });
    QVERIFY(Testing::wait(command->executeAsync(1)));
    QCOMPARE(completions, 1);
    QList<double> doubles;
    command->onResult([&](double value) { doubles << value; });
    QVERIFY(Testing::wait(command->executeAsync(2)));
    QCOMPARE(doubles, QList<double>({4.0}));
    command->onResult(std::function<void(int)>()); // removed
    QVERIFY(Testing::wait(command->executeAsync(3)));
    QCOMPARE(received.size(), 2);
}

void tst_ViewModelSupport::onResultRunsBeforeResultReadyAndExecuteAsyncEnd_C17()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::list);
    QStringList log;
    QStringList assigned;
    command->onResult([&](QStringList list) {
        assigned = list;
        log << QStringLiteral("onResult running=%1").arg(command->isRunning());
    });
    connect(command, &AsyncRelayCommand::resultReady,
            [&] { log << "resultReady assigned=" + assigned.join(','); });
    const AsyncAction run = command->executeAsync();
    run.setCompleted([&](const AsyncAction &, AsyncStatus) { log << "operation ended"; });
    QVERIFY(Testing::wait(run));
    QCOMPARE(log, QStringList({"onResult running=0", "resultReady assigned=a,b", "operation ended"}));
}

void tst_ViewModelSupport::onResultNotCalledForFailureOrCancel_C17()
{
    Members vm;
    auto *fails = new AsyncRelayCommand(&vm, &Members::failsLater);
    int calls = 0;
    fails->onResult([&](int) { ++calls; });
    QSignalSpy ready(fails, &AsyncRelayCommand::resultReady);
    QSignalSpy errors(fails, &Command::errorOccurred);
    AsyncAction run = fails->executeAsync();
    vm.gate->open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);

    auto *held = new AsyncRelayCommand(&vm, &Members::withParameter);
    Members other;
    auto *canceled = new AsyncRelayCommand(&other, &Members::held);
    QSignalSpy canceledReady(canceled, &AsyncRelayCommand::resultReady);
    run = canceled->executeAsync();
    canceled->cancel();
    other.gate->open(); // the tests' gate does not hear of cancel(): the body throws once it resumes (A14)
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    Q_UNUSED(held);
    QCOMPARE(calls, 0);
    QCOMPARE(ready.count(), 0);
    QCOMPARE(canceledReady.count(), 0);
    QCOMPARE(errors.count(), 1);
}

void tst_ViewModelSupport::onResultOfRunEndingInsideExecute_C17()
{
    // A delegate that never suspends ends inside execute(): the result still comes once the state
    // is final, after execute()'s start and end signals.
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::none);
    QStringList log;
    connect(command, &AsyncRelayCommand::isRunningChanged,
            [&] { log << QStringLiteral("isRunning=%1").arg(command->isRunning()); });
    command->onResult([&](int value) {
        log << QStringLiteral("onResult:%1 running=%2").arg(value).arg(command->isRunning());
    });
    command->execute();
    QCOMPARE(log, QStringList({"isRunning=1", "isRunning=0", "onResult:1 running=0"}));
}

void tst_ViewModelSupport::onResultWrongTypeIsReported_C17()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::list);
    QSignalSpy errors(command, &Command::errorOccurred);
    QSignalSpy ready(command, &AsyncRelayCommand::resultReady);
    bool called = false;
    command->onResult([&](QObject *) { called = true; });
    const AsyncAction run = command->executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed); // the run itself completed
    QVERIFY(!called);
    QCOMPARE(ready.count(), 0);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(),
             QStringLiteral("onResult(): the callback takes QObject*, the run's result is QStringList"));
    QVERIFY(command->lastError().isEmpty());

    auto *voidCommand = new AsyncRelayCommand(&vm, &Members::held);
    QSignalSpy voidErrors(voidCommand, &Command::errorOccurred);
    voidCommand->onResult([](int) {});
    vm.gate->open();
    QVERIFY(Testing::wait(voidCommand->executeAsync()));
    QCOMPARE(voidErrors.count(), 1);
    QCOMPARE(voidErrors.at(0).at(0).toString(),
             QStringLiteral("onResult(): the callback takes int, the run's result is no result (void)"));
}

void tst_ViewModelSupport::onResultThrowingCallbackIsReported_C17()
{
    UnhandledErrors unhandled;
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::none);
    QSignalSpy ready(command, &AsyncRelayCommand::resultReady);
    command->onResult([](int) { throw TestError("callback failed"); });
    QVERIFY(Testing::wait(command->executeAsync())); // nothing unwinds into the event loop
    QCOMPARE(unhandled.messages(), QStringList({"callback failed"}));
    QCOMPARE(ready.count(), 0);
}

void tst_ViewModelSupport::lastErrorSetOnFailureClearedOnStart_C18()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::failsLater);
    QSignalSpy errors(command, &Command::errorOccurred);
    QVERIFY(command->lastError().isEmpty());
    AsyncAction run = command->executeAsync();
    vm.gate->open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(command->lastError(), QStringLiteral("later"));
    // A binding on it follows (one binding is an error label).
    QProperty<QString> label;
    label.setBinding([command] { return QStringLiteral("Error: ") + command->bindableLastError().value(); });
    QCOMPARE(label.value(), QStringLiteral("Error: later"));

    auto *sync = new AsyncRelayCommand(&vm, &Members::fails);
    QSignalSpy syncErrors(sync, &Command::errorOccurred);
    sync->execute(); // a delegate that throws before it builds an operation
    QCOMPARE(sync->lastError(), QStringLiteral("no luck"));

    CommandKitTests::Gate gate;
    bool fail = false;
    auto *toggled = new AsyncRelayCommand(
        [&]() -> AsyncAction {
            co_await gate;
            if (fail)
                throw TestError("boom");
        },
        &vm);
    QSignalSpy toggledErrors(toggled, &Command::errorOccurred);
    fail = true;
    gate.open();
    QVERIFY(Testing::wait(toggled->executeAsync()));
    QCOMPARE(toggled->lastError(), QStringLiteral("boom"));
    fail = false;
    QVERIFY(Testing::wait(toggled->executeAsync()));
    QVERIFY(toggled->lastError().isEmpty()); // cleared by the start, not set again
}

void tst_ViewModelSupport::lastErrorSignalsInUpdateOrder_C18()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::failsLater);
    QStringList log;
    connect(command, &AsyncRelayCommand::isRunningChanged, [&] { log << "isRunningChanged"; });
    connect(command, &Command::canExecuteChanged, [&] { log << "canExecuteChanged"; });
    connect(command, &Command::lastErrorChanged, [&] {
        log << QStringLiteral("lastErrorChanged:%1 running=%2")
                   .arg(command->lastError())
                   .arg(command->isRunning());
    });
    connect(command, &Command::errorOccurred, [&] { log << "errorOccurred"; });
    const AsyncAction first = command->executeAsync();
    vm.gate->open();
    QVERIFY(Testing::wait(first));
    QCOMPARE(log, QStringList({"isRunningChanged", "canExecuteChanged", "isRunningChanged",
                               "lastErrorChanged:later running=0", "canExecuteChanged", "errorOccurred"}));
    log.clear();
    QVERIFY(Testing::wait(command->executeAsync())); // the gate stays open: it fails again
    QCOMPARE(log, QStringList({"isRunningChanged", "lastErrorChanged: running=1", "canExecuteChanged",
                               "isRunningChanged", "lastErrorChanged:later running=0", "canExecuteChanged",
                               "errorOccurred"}));
}

void tst_ViewModelSupport::lastErrorUntouchedByCancel_C18()
{
    Members vm;
    auto *command = new AsyncRelayCommand(&vm, &Members::held);
    QSignalSpy changes(command, &Command::lastErrorChanged);
    const AsyncAction run = command->executeAsync();
    command->cancel();
    vm.gate->open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(command->lastError().isEmpty());
    QCOMPARE(changes.count(), 0);
}

void tst_ViewModelSupport::lastErrorClearedByNextQueuedRun_C18()
{
    Testing::Gate firstGate;
    Testing::Gate secondGate;
    int runs = 0;
    AsyncRelayCommand command([&]() -> AsyncAction {
        if (++runs == 1) {
            co_await firstGate;
            throw TestError("first failed");
        }
        co_await secondGate;
    });
    command.setConcurrency(ConcurrencyMode::Queue);
    QSignalSpy errors(&command, &Command::errorOccurred);
    const AsyncAction first = command.executeAsync();
    const AsyncAction second = command.executeAsync();
    firstGate.open();
    QVERIFY(Testing::wait(first));
    QCOMPARE(errors.count(), 1);
    QVERIFY(command.isRunning());           // the queue's second run started as the first ended
    QVERIFY(command.lastError().isEmpty()); // and its start cleared the first's error
    secondGate.open();
    QVERIFY(Testing::wait(second));
    QVERIFY(command.lastError().isEmpty());
}

void tst_ViewModelSupport::lastErrorOfRelayCommand_C18()
{
    bool fail = true;
    RelayCommand command([&] {
        if (fail)
            throw TestError("cannot save");
    });
    QStringList log;
    connect(&command, &Command::lastErrorChanged, [&] { log << "lastErrorChanged:" + command.lastError(); });
    connect(&command, &Command::errorOccurred, [&] { log << "errorOccurred"; });
    command.execute();
    QCOMPARE(command.lastError(), QStringLiteral("cannot save"));
    fail = false;
    command.execute();
    QVERIFY(command.lastError().isEmpty());
    QCOMPARE(log, QStringList({"lastErrorChanged:cannot save", "errorOccurred", "lastErrorChanged:"}));
}

QTEST_GUILESS_MAIN(tst_ViewModelSupport)
#include "tst_viewmodelsupport.moc"
