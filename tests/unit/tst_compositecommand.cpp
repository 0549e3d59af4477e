// SPDX-License-Identifier: MIT
// CompositeCommand (design.md C24) and CommandGroup (C25), through the public API. Runs are held on
// Testing::Gate; nothing sleeps.
#include <QtCore/QMetaProperty>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/commandgroup.h>
#include <commandkit/compositecommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include "moderows.h"
#include <memory>
#include <stdexcept>
#include <type_traits>

using namespace CommandKit;

static_assert(std::is_base_of_v<AsyncRelayCommand, CompositeCommand>,
              "a composite is an AsyncRelayCommand: isRunning, executionTask, cancel()");
static_assert(!std::is_copy_constructible_v<CompositeCommand> && !std::is_copy_constructible_v<CommandGroup>,
              "QObjects");

namespace {

// Bodies as free functions with parameters by value: a command deleted mid-run deletes its delegate,
// so a suspended body must not live in the delegate's closure.

AsyncAction waitOn(Testing::Gate gate)
{
    co_await gate;
}

/*! Sets \a unwound when its frame is destroyed: the body's locals are gone (A5). */
struct UnwindFlag
{
    std::shared_ptr<bool> unwound;
    ~UnwindFlag() { *unwound = true; }
};

AsyncAction waitOnThenUnwind(Testing::Gate gate, std::shared_ptr<bool> unwound)
{
    UnwindFlag flag{std::move(unwound)};
    co_await gate;
}

AsyncAction failOn(Testing::Gate gate, QString message)
{
    co_await gate;
    throw std::runtime_error(message.toStdString());
}

AsyncAction hopToPoolOn(Testing::Gate gate, std::shared_ptr<bool> unwound)
{
    UnwindFlag flag{std::move(unwound)};
    co_await resumeBackground();
    gate.pass();
}

AsyncAction done()
{
    co_return;
}

AsyncRelayCommand *gated(Testing::Gate gate, QObject *parent, const char *name,
                         ConcurrencyMode mode = ConcurrencyMode::Reject)
{
    auto *command = new AsyncRelayCommand([gate] { return waitOn(gate); }, parent);
    command->setObjectName(QString::fromLatin1(name));
    command->setConcurrency(mode);
    return command;
}

QString errorOf(const AsyncAction &operation)
{
    try {
        operation.getResults();
    } catch (...) {
        return errorMessage(std::current_exception());
    }
    return {};
}

} // namespace

class tst_CompositeCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // C24 CompositeCommand
    void compositeWithoutChildrenCannotExecute_C24();
    void canExecuteFollowsChildren_C24();
    void childRequeryReachesCompositeListeners_C24();
    void canExecuteWithAsksEveryChildWithTheParameter_C24();
    void executeRunsEveryChildWithTheTypedParameter_C24();
    void compositeStaysRunningUntilLastChildUnwinds_C24_data() { addModeRows(); }
    void compositeStaysRunningUntilLastChildUnwinds_C24();
    void compositeWaitsForChildOnPoolThread_C24();
    void cancelReachesEveryChild_C24_data() { addModeRows(); }
    void cancelReachesEveryChild_C24();
    void childErrorsAreAggregatedAndOthersRunToTheirEnd_C24();
    void canceledChildMakesRunCanceled_C24();
    void childDeletedMidRunIsDroppedAndRunEnds_C24_data() { addModeRows(); }
    void childDeletedMidRunIsDroppedAndRunEnds_C24();
    void childDeletedWhileIdleIsDropped_C24();
    void deletingCompositeMidRunCancelsChildren_C24();
    void unregisteredChildNoLongerRuns_C24();
    void nestedCompositeRunsItsChildren_C24();
    void badRegistrationsWarnAndChangeNothing_C24();
    void commandsPropertyIsReadableThroughMetaObject_C24();

    // C25 CommandGroup
    void groupRefusesOtherMembersWhileOneRuns_C25_data() { addModeRows(); }
    void groupRefusesOtherMembersWhileOneRuns_C25();
    void groupIsRunningWhileAnyMemberRuns_C25();
    void syncMemberRunsOnlyDuringExecute_C25();
    void blockedMembersNotifyCanExecuteChanged_C25();
    void memberLeavesGroup_C25();
    void memberDestroyedWhileRunningIsDropped_C25();
    void commandBelongsToAtMostOneGroup_C25();
    void destroyedGroupReleasesMembers_C25();
    void badGroupRegistrationsWarnAndChangeNothing_C25();
    void groupMembersInOneCompositeExcludeEachOther_C25();
    void groupStateIsFinalInMembersSignalHandlers_C25();
};

// ---- C24 -------------------------------------------------------------------------------------------

void tst_CompositeCommand::compositeWithoutChildrenCannotExecute_C24()
{
    QObject owner;
    auto *all = new CompositeCommand(&owner);
    QCOMPARE(all->canExecute(), false);
    QCOMPARE(all->canExecuteWith(QStringLiteral("x")), false);
    const AsyncAction refused = all->executeAsync();
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QCOMPARE(all->isRunning(), false);
    QVERIFY(all->commands().isEmpty());
}

void tst_CompositeCommand::canExecuteFollowsChildren_C24()
{
    QObject owner;
    QProperty<bool> allowed(true);
    Testing::Gate gate;
    auto *relay = new RelayCommand([] {}, [&allowed] { return allowed.value(); }, &owner);
    auto *async = gated(gate, &owner, "async");
    auto *all = new CompositeCommand(&owner);
    QVERIFY(all->registerCommand(relay));
    QCOMPARE(all->canExecute(), true);
    QVERIFY(all->registerCommand(async));
    QCOMPARE(all->canExecute(), true);

    Testing::PropertyRecorder recorder(all, {QStringLiteral("canExecute")});
    allowed = false; // a bindable the child's predicate reads
    QCOMPARE(all->canExecute(), false);
    allowed = true;
    QCOMPARE(all->canExecute(), true);

    // A child running in Reject mode cannot execute, so neither can the composite.
    const AsyncAction run = async->executeAsync();
    QCOMPARE(all->canExecute(), false);
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(all->canExecute(), true);

    // Without the refusing child the composite follows the others.
    allowed = false;
    QCOMPARE(all->canExecute(), false);
    QVERIFY(all->unregisterCommand(relay));
    QCOMPARE(all->canExecute(), true);
    QVERIFY(all->unregisterCommand(async));
    QCOMPARE(all->canExecute(), false);
    QCOMPARE(recorder.changes(),
             QStringList({"canExecute=false", "canExecute=true", "canExecute=false", "canExecute=true",
                          "canExecute=false", "canExecute=true", "canExecute=false"}));
}

void tst_CompositeCommand::childRequeryReachesCompositeListeners_C24()
{
    QObject owner;
    QString blocked;
    auto *text =
        new RelayCommand([](QString) {}, [&blocked](QString value) { return value != blocked; }, &owner);
    auto *all = new CompositeCommand(&owner);
    QVERIFY(all->registerCommand(text));
    QSignalSpy requery(all, &Command::canExecuteChanged);
    const int revision = all->canExecuteRevision();
    QCOMPARE(all->canExecuteWith(QStringLiteral("a")), true);
    blocked = QStringLiteral("a"); // not bindable: the child is told
    text->notifyCanExecuteChanged();
    QCOMPARE(requery.count(), 1);
    QVERIFY(all->canExecuteRevision() != revision);
    QCOMPARE(all->canExecuteWith(QStringLiteral("a")), false);
    QCOMPARE(all->canExecute(), true);
}

void tst_CompositeCommand::canExecuteWithAsksEveryChildWithTheParameter_C24()
{
    QObject owner;
    auto *positive = new RelayCommand([](int) {}, [](int value) { return value > 0; }, &owner);
    auto *anything = new AsyncRelayCommand([](QString) { return done(); }, &owner);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(positive);
    all->registerCommand(anything);
    QCOMPARE(all->canExecuteWith(5), true);
    QCOMPARE(all->canExecuteWith(QStringLiteral("7")), true); // converts for both (C4)
    QCOMPARE(all->canExecuteWith(-1), false);
    QCOMPARE(all->canExecuteWith(QStringLiteral("not a number")), false);
    // Refused silently: no child runs.
    const AsyncAction refused = all->executeAsync(-1);
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QCOMPARE(anything->executionTask(), nullptr);
}

void tst_CompositeCommand::executeRunsEveryChildWithTheTypedParameter_C24()
{
    QObject owner;
    int number = 0;
    QString text;
    QVariant any;
    auto *typedSync = new RelayCommand([&number](int value) { number = value; }, &owner);
    auto *typedAsync = new AsyncRelayCommand(
        [&text](QString value) {
            text = value;
            return done();
        },
        &owner);
    auto *untyped = new RelayCommand([&any](QVariant value) { any = value; }, &owner);
    auto *all = new CompositeCommand(&owner);
    for (Command *child : {static_cast<Command *>(typedSync), static_cast<Command *>(typedAsync),
                           static_cast<Command *>(untyped)})
        QVERIFY(all->registerCommand(child));

    const AsyncAction run = all->executeAsync(QStringLiteral("42"));
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(number, 42);
    QCOMPARE(text, QStringLiteral("42"));
    QCOMPARE(any, QVariant(QStringLiteral("42")));
    QCOMPARE(all->executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(all->isRunning(), false);
    QCOMPARE(all->lastError(), QString());
}

void tst_CompositeCommand::compositeStaysRunningUntilLastChildUnwinds_C24()
{
    QFETCH(ConcurrencyMode, mode);
    QObject owner;
    Testing::Gate first;
    Testing::Gate last;
    auto lastUnwound = std::make_shared<bool>(false);
    auto *early = gated(first, &owner, "early", mode);
    auto *late =
        new AsyncRelayCommand([last, lastUnwound] { return waitOnThenUnwind(last, lastUnwound); }, &owner);
    late->setConcurrency(mode);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(early);
    all->registerCommand(late);

    bool unwoundWhenIdle = false;
    int turnedIdle = 0;
    connect(all, &AsyncRelayCommand::isRunningChanged, &owner, [&] {
        if (!all->isRunning()) {
            ++turnedIdle;
            unwoundWhenIdle = *lastUnwound;
        }
    });

    QSignalSpy requery(all, &Command::canExecuteChanged);
    const AsyncAction run = all->executeAsync();
    QVERIFY(all->isRunning());
    QVERIFY(early->isRunning());
    QVERIFY(late->isRunning());
    QCOMPARE(all->executionTask()->status(), AsyncStatus::Started);

    first.open();
    QVERIFY(Testing::waitUntilIdle(early));
    // One child has finished, the other's body still runs: the composite runs on.
    QVERIFY(late->isRunning());
    QVERIFY(all->isRunning());
    QCOMPARE(run.status(), AsyncStatus::Started);
    QCOMPARE(turnedIdle, 0);

    last.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(all->isRunning(), false);
    QCOMPARE(turnedIdle, 1);
    QVERIFY2(unwoundWhenIdle, "isRunning turned false before the last child's body had unwound");
    // Reject mode: once at the start, once at the end; the children's own re-queries change no answer.
    QCOMPARE(requery.count(), 2);
    QCOMPARE(late->isRunning(), false);
}

void tst_CompositeCommand::compositeWaitsForChildOnPoolThread_C24()
{
    QObject owner;
    Testing::Gate gate;
    auto unwound = std::make_shared<bool>(false);
    auto *worker = new AsyncRelayCommand([gate, unwound] { return hopToPoolOn(gate, unwound); }, &owner);
    auto *instant = new RelayCommand([] {}, &owner);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(instant);
    all->registerCommand(worker);
    bool unwoundWhenIdle = false;
    QThread *notifiedOn = nullptr;
    connect(all, &AsyncRelayCommand::isRunningChanged, &owner, [&] {
        if (!all->isRunning()) {
            unwoundWhenIdle = *unwound;
            notifiedOn = QThread::currentThread();
        }
    });
    const AsyncAction run = all->executeAsync();
    QVERIFY(gate.waitForArrivals());
    QVERIFY(all->isRunning());
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QVERIFY(unwoundWhenIdle);
    QCOMPARE(notifiedOn, QThread::currentThread()); // C12: on the composite's thread
}

void tst_CompositeCommand::cancelReachesEveryChild_C24()
{
    QFETCH(ConcurrencyMode, mode);
    QObject owner;
    Testing::Gate gateA;
    Testing::Gate gateB;
    auto *a = gated(gateA, &owner, "a", mode);
    auto *b = gated(gateB, &owner, "b", mode);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(a);
    all->registerCommand(b);
    const AsyncAction run = all->executeAsync();
    QVERIFY(all->canBeCanceled());
    ExecutionTask *taskA = a->executionTask();
    ExecutionTask *taskB = b->executionTask();

    all->cancel();
    QCOMPARE(all->isCancellationRequested(), true);
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(taskA->status(), AsyncStatus::Canceled);
    QCOMPARE(taskB->status(), AsyncStatus::Canceled);
    QCOMPARE(a->isRunning(), false);
    QCOMPARE(b->isRunning(), false);
    QCOMPARE(all->isRunning(), false);
    QCOMPARE(all->lastError(), QString()); // cancellation is not an error (C18)
}

void tst_CompositeCommand::childErrorsAreAggregatedAndOthersRunToTheirEnd_C24()
{
    QObject owner;
    Testing::Gate failGate;
    Testing::Gate slowGate;
    auto *failingSync = new RelayCommand([] { throw std::runtime_error("disk full"); }, &owner);
    failingSync->setObjectName(QStringLiteral("layout"));
    auto *failingAsync = new AsyncRelayCommand(
        [failGate] { return failOn(failGate, QStringLiteral("network down")); }, &owner);
    failingAsync->setObjectName(QStringLiteral("upload"));
    auto *slow = gated(slowGate, &owner, "slow");
    int childErrors = 0;
    for (Command *child : {static_cast<Command *>(failingSync), static_cast<Command *>(failingAsync)})
        child->setErrorHandler([&childErrors](std::exception_ptr) { ++childErrors; });
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(failingSync);
    all->registerCommand(failingAsync);
    all->registerCommand(slow);
    QSignalSpy errors(all, &Command::errorOccurred);

    const AsyncAction run = all->executeAsync();
    failGate.open();
    QVERIFY(Testing::waitUntilIdle(failingAsync));
    // A failure does not cancel the others.
    QVERIFY(slow->isRunning());
    QCOMPARE(slow->executionTask()->status(), AsyncStatus::Started);
    QVERIFY(all->isRunning());
    slowGate.open();
    QVERIFY(Testing::wait(run));

    const QString expected = QStringLiteral("layout: disk full\nupload: network down");
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(errorOf(run), expected);
    QCOMPARE(all->lastError(), expected);
    QCOMPARE(all->executionTask()->errorString(), expected);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), expected);
    QCOMPARE(slow->executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(childErrors, 2); // each child still reports its own error (C9)

    // The next run starts clean (C18).
    failingSync->setErrorHandler({});
    all->unregisterCommand(failingSync);
    all->unregisterCommand(failingAsync);
    const AsyncAction next = all->executeAsync();
    QCOMPARE(all->lastError(), QString());
    QVERIFY(Testing::wait(next));
    QCOMPARE(next.status(), AsyncStatus::Completed);
}

void tst_CompositeCommand::canceledChildMakesRunCanceled_C24()
{
    QObject owner;
    Testing::Gate gateA;
    Testing::Gate gateB;
    auto *a = gated(gateA, &owner, "a");
    auto *b = gated(gateB, &owner, "b");
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(a);
    all->registerCommand(b);
    const AsyncAction run = all->executeAsync();
    a->cancel(); // the child's own Cancel button
    QVERIFY(Testing::waitUntilIdle(a));
    QVERIFY(all->isRunning());
    QCOMPARE(b->executionTask()->status(), AsyncStatus::Started); // not canceled by its sibling
    gateB.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(b->executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(all->lastError(), QString());
}

void tst_CompositeCommand::childDeletedMidRunIsDroppedAndRunEnds_C24()
{
    QFETCH(ConcurrencyMode, mode);
    QObject owner;
    Testing::Gate gateA;
    Testing::Gate gateB;
    QPointer<AsyncRelayCommand> a = gated(gateA, &owner, "a", mode);
    auto *b = gated(gateB, &owner, "b", mode);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(a);
    all->registerCommand(b);
    QSignalSpy commandsChanged(all, &CompositeCommand::commandsChanged);
    const AsyncAction run = all->executeAsync();

    delete a.data();
    QCOMPARE(commandsChanged.count(), 1);
    QCOMPARE(all->commands(), QList<Command *>({b}));
    QVERIFY(all->isRunning());
    gateB.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled); // the deleted child's run was canceled (C13)
    QCOMPARE(all->isRunning(), false);
    QCOMPARE(all->canExecute(), true);
    // It runs on with the child that is left.
    const AsyncAction next = all->executeAsync();
    QVERIFY(Testing::wait(next));
    QCOMPARE(next.status(), AsyncStatus::Completed);
}

void tst_CompositeCommand::childDeletedWhileIdleIsDropped_C24()
{
    QObject owner;
    QProperty<bool> allowed(false);
    auto *refusing = new RelayCommand([] {}, [&allowed] { return allowed.value(); }, &owner);
    auto *other = new RelayCommand([] {}, &owner);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(refusing);
    all->registerCommand(other);
    QCOMPARE(all->canExecute(), false);
    QSignalSpy commandsChanged(all, &CompositeCommand::commandsChanged);
    delete refusing;
    QCOMPARE(commandsChanged.count(), 1);
    QCOMPARE(all->commands(), QList<Command *>({other}));
    QCOMPARE(all->canExecute(), true);
    delete other;
    QVERIFY(all->commands().isEmpty());
    QCOMPARE(all->canExecute(), false);
}

void tst_CompositeCommand::deletingCompositeMidRunCancelsChildren_C24()
{
    QObject owner;
    Testing::Gate gate;
    auto *child = gated(gate, &owner, "child");
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(child);
    const AsyncAction run = all->executeAsync();
    ExecutionTask *task = child->executionTask();
    delete all;
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::waitUntilIdle(child));
    // The child outlives the composite and is usable.
    QVERIFY(child->canExecute());
}

void tst_CompositeCommand::unregisteredChildNoLongerRuns_C24()
{
    QObject owner;
    int aRuns = 0;
    int bRuns = 0;
    auto *a = new RelayCommand([&aRuns] { ++aRuns; }, &owner);
    auto *b = new RelayCommand([&bRuns] { ++bRuns; }, &owner);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(a);
    all->registerCommand(b);
    all->execute();
    QVERIFY(Testing::waitUntilIdle(all));
    QVERIFY(all->unregisterCommand(a));
    all->execute();
    QVERIFY(Testing::waitUntilIdle(all));
    QCOMPARE(aRuns, 1);
    QCOMPARE(bRuns, 2);
}

void tst_CompositeCommand::nestedCompositeRunsItsChildren_C24()
{
    QObject owner;
    Testing::Gate gate;
    int syncRuns = 0;
    auto *inner = new CompositeCommand(&owner);
    inner->registerCommand(gated(gate, &owner, "deep"));
    auto *outer = new CompositeCommand(&owner);
    outer->registerCommand(inner);
    outer->registerCommand(new RelayCommand([&syncRuns] { ++syncRuns; }, &owner));
    const AsyncAction run = outer->executeAsync();
    QVERIFY(inner->isRunning());
    QCOMPARE(syncRuns, 1);
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(inner->isRunning(), false);
}

void tst_CompositeCommand::badRegistrationsWarnAndChangeNothing_C24()
{
    QObject owner;
    auto *child = new RelayCommand([] {}, &owner);
    auto *all = new CompositeCommand(&owner);
    auto *outer = new CompositeCommand(&owner);
    QVERIFY(all->registerCommand(child));
    QVERIFY(outer->registerCommand(all));
    QSignalSpy commandsChanged(all, &CompositeCommand::commandsChanged);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("null command is refused")));
    QCOMPARE(all->registerCommand(nullptr), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already a child")));
    QCOMPARE(all->registerCommand(child), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("with the composite itself")));
    QCOMPARE(all->registerCommand(all), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("would make a cycle")));
    QCOMPARE(all->registerCommand(outer), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a child")));
    QCOMPARE(all->unregisterCommand(outer), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a child")));
    QCOMPARE(all->unregisterCommand(nullptr), false);

    QCOMPARE(commandsChanged.count(), 0);
    QCOMPARE(all->commands(), QList<Command *>({child}));
    QCOMPARE(outer->commands(), QList<Command *>({all}));
}

void tst_CompositeCommand::commandsPropertyIsReadableThroughMetaObject_C24()
{
    QObject owner;
    auto *a = new RelayCommand([] {}, &owner);
    auto *b = new AsyncRelayCommand([] { return done(); }, &owner);
    auto *all = new CompositeCommand(&owner);
    const QMetaProperty property =
        all->metaObject()->property(all->metaObject()->indexOfProperty("commands"));
    QVERIFY(property.isValid());
    QVERIFY(property.hasNotifySignal());
    QSignalSpy changed(all, &CompositeCommand::commandsChanged);
    all->registerCommand(a);
    all->registerCommand(b);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(property.read(all).value<QList<Command *>>(), QList<Command *>({a, b}));
}

// ---- C25 -------------------------------------------------------------------------------------------

void tst_CompositeCommand::groupRefusesOtherMembersWhileOneRuns_C25()
{
    QFETCH(ConcurrencyMode, mode);
    QObject owner;
    Testing::Gate gate;
    int syncRuns = 0;
    auto *runner = gated(gate, &owner, "runner", mode);
    auto *other = new AsyncRelayCommand([] { return done(); }, &owner);
    other->setConcurrency(mode);
    auto *sync = new RelayCommand([&syncRuns] { ++syncRuns; }, &owner);
    CommandGroup group;
    for (Command *member :
         {static_cast<Command *>(runner), static_cast<Command *>(other), static_cast<Command *>(sync)})
        QVERIFY(group.registerCommand(member));

    const AsyncAction run = runner->executeAsync();
    QVERIFY(runner->isRunning());
    QCOMPARE(other->canExecute(), false);
    QCOMPARE(sync->canExecute(), false);
    QCOMPARE(sync->canExecuteWith(QVariant()), false);
    // The running member follows its own mode: only Reject refuses it.
    QCOMPARE(runner->canExecute(), mode != ConcurrencyMode::Reject);

    sync->execute();
    QCOMPARE(syncRuns, 0);
    const AsyncAction refused = other->executeAsync();
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QCOMPARE(other->executionTask(), nullptr);

    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(other->canExecute(), true);
    QCOMPARE(sync->canExecute(), true);
    QCOMPARE(runner->canExecute(), true);
    sync->execute();
    QCOMPARE(syncRuns, 1);
}

void tst_CompositeCommand::groupIsRunningWhileAnyMemberRuns_C25()
{
    QObject owner;
    Testing::Gate gateA;
    Testing::Gate gateB;
    auto *a = gated(gateA, &owner, "a", ConcurrencyMode::Parallel);
    auto *b = gated(gateB, &owner, "b");
    CommandGroup group;
    group.registerCommand(a);
    group.registerCommand(b);
    Testing::PropertyRecorder recorder(&group, {QStringLiteral("isRunning")});
    QCOMPARE(group.isRunning(), false);

    const AsyncAction first = a->executeAsync();
    QCOMPARE(group.isRunning(), true);
    const AsyncAction second = a->executeAsync(); // Parallel: the runner may run again
    QCOMPARE(second.status(), AsyncStatus::Started);
    gateA.open();
    QVERIFY(Testing::wait(first));
    QVERIFY(Testing::wait(second));
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(recorder.changes(), QStringList({"isRunning=true", "isRunning=false"}));

    // A bindable, for C++ bindings.
    QProperty<bool> spinner;
    spinner.setBinding(group.bindableIsRunning().makeBinding());
    const AsyncAction third = b->executeAsync();
    QCOMPARE(spinner.value(), true);
    gateB.open();
    QVERIFY(Testing::wait(third));
    QCOMPARE(spinner.value(), false);
}

void tst_CompositeCommand::syncMemberRunsOnlyDuringExecute_C25()
{
    QObject owner;
    CommandGroup group;
    auto *other = new RelayCommand([] {}, &owner);
    bool runningInside = false;
    bool otherCouldExecute = true;
    auto *sync = new RelayCommand(
        [&] {
            runningInside = group.isRunning();
            otherCouldExecute = other->canExecute();
        },
        &owner);
    group.registerCommand(sync);
    group.registerCommand(other);
    Testing::PropertyRecorder recorder(&group, {QStringLiteral("isRunning")});
    sync->execute();
    QVERIFY(runningInside);
    QCOMPARE(otherCouldExecute, false);
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(other->canExecute(), true);
    QCOMPARE(recorder.changes(), QStringList({"isRunning=true", "isRunning=false"}));

    // A throwing delegate still leaves the group (C9 catches it inside execute()).
    auto *throwing = new RelayCommand([] { throw std::runtime_error("boom"); }, &owner);
    throwing->setErrorHandler([](std::exception_ptr) {});
    group.registerCommand(throwing);
    throwing->execute();
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(other->canExecute(), true);
}

void tst_CompositeCommand::blockedMembersNotifyCanExecuteChanged_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *runner = gated(gate, &owner, "runner");
    auto *other = new RelayCommand([](QString) {}, &owner);
    CommandGroup group;
    group.registerCommand(runner);
    group.registerCommand(other);
    Testing::PropertyRecorder recorder(other, {QStringLiteral("canExecute")});
    recorder.recordCanExecuteWith(QStringLiteral("x"));
    const AsyncAction run = runner->executeAsync();
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(recorder.changes(), QStringList({"canExecute=false", "canExecuteWith(\"x\")=false",
                                              "canExecute=true", "canExecuteWith(\"x\")=true"}));
}

void tst_CompositeCommand::memberLeavesGroup_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *runner = gated(gate, &owner, "runner");
    auto *other = new RelayCommand([] {}, &owner);
    CommandGroup group;
    group.registerCommand(runner);
    group.registerCommand(other);
    QSignalSpy commandsChanged(&group, &CommandGroup::commandsChanged);
    const AsyncAction run = runner->executeAsync();
    QCOMPARE(other->canExecute(), false);

    // The blocked member leaves: it executes on its own terms again at once.
    QVERIFY(group.unregisterCommand(other));
    QCOMPARE(CommandGroup::groupOf(other), nullptr);
    QCOMPARE(other->canExecute(), true);
    QVERIFY(group.registerCommand(other));
    QCOMPARE(other->canExecute(), false);

    // The running member leaves: the others are free, the group is idle.
    QVERIFY(group.unregisterCommand(runner));
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(other->canExecute(), true);
    QCOMPARE(group.commands(), QList<Command *>({other}));
    QCOMPARE(commandsChanged.count(), 3);
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(group.isRunning(), false);
}

void tst_CompositeCommand::memberDestroyedWhileRunningIsDropped_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *runner = gated(gate, &owner, "runner");
    auto *other = new RelayCommand([] {}, &owner);
    CommandGroup group;
    group.registerCommand(runner);
    group.registerCommand(other);
    const AsyncAction run = runner->executeAsync();
    QCOMPARE(group.isRunning(), true);
    QSignalSpy commandsChanged(&group, &CommandGroup::commandsChanged);
    delete runner;
    QCOMPARE(commandsChanged.count(), 1);
    QCOMPARE(group.commands(), QList<Command *>({other}));
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(other->canExecute(), true);
    QVERIFY(Testing::wait(run));

    // A sync member that deletes itself from its own delegate.
    RelayCommand *selfDeleting = nullptr;
    selfDeleting = new RelayCommand([&selfDeleting] { delete selfDeleting; }, &owner);
    group.registerCommand(selfDeleting);
    selfDeleting->execute();
    QCOMPARE(group.commands(), QList<Command *>({other}));
    QCOMPARE(group.isRunning(), false);
    QCOMPARE(other->canExecute(), true);
}

void tst_CompositeCommand::commandBelongsToAtMostOneGroup_C25()
{
    QObject owner;
    auto *command = new RelayCommand([] {}, &owner);
    CommandGroup first;
    CommandGroup second;
    QVERIFY(first.registerCommand(command));
    QCOMPARE(CommandGroup::groupOf(command), &first);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("belongs to another group")));
    QCOMPARE(second.registerCommand(command), false);
    QCOMPARE(CommandGroup::groupOf(command), &first);
    QVERIFY(second.commands().isEmpty());
    QVERIFY(first.unregisterCommand(command));
    QVERIFY(second.registerCommand(command));
    QCOMPARE(CommandGroup::groupOf(command), &second);
}

void tst_CompositeCommand::destroyedGroupReleasesMembers_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *runner = gated(gate, &owner, "runner");
    auto *other = new RelayCommand([] {}, &owner);
    auto *group = new CommandGroup(&owner);
    group->registerCommand(runner);
    group->registerCommand(other);
    const AsyncAction run = runner->executeAsync();
    QCOMPARE(other->canExecute(), false);
    QSignalSpy requery(other, &Command::canExecuteChanged);
    delete group;
    QCOMPARE(CommandGroup::groupOf(other), nullptr);
    QCOMPARE(other->canExecute(), true);
    QVERIFY(requery.count() >= 1);
    gate.open();
    QVERIFY(Testing::wait(run));
    QVERIFY(runner->canExecute());
}

void tst_CompositeCommand::badGroupRegistrationsWarnAndChangeNothing_C25()
{
    QObject owner;
    auto *command = new RelayCommand([] {}, &owner);
    auto *stranger = new RelayCommand([] {}, &owner);
    CommandGroup group;
    QVERIFY(group.registerCommand(command));
    QSignalSpy commandsChanged(&group, &CommandGroup::commandsChanged);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("null command is refused")));
    QCOMPARE(group.registerCommand(nullptr), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already a member")));
    QCOMPARE(group.registerCommand(command), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is not a member")));
    QCOMPARE(group.unregisterCommand(stranger), false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is not a member")));
    QCOMPARE(group.unregisterCommand(nullptr), false);
    QCOMPARE(commandsChanged.count(), 0);
    QCOMPARE(group.commands(), QList<Command *>({command}));
}

void tst_CompositeCommand::groupMembersInOneCompositeExcludeEachOther_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *first = gated(gate, &owner, "first");
    auto *second = new AsyncRelayCommand([] { return done(); }, &owner);
    CommandGroup group;
    group.registerCommand(first);
    group.registerCommand(second);
    auto *all = new CompositeCommand(&owner);
    all->registerCommand(first);
    all->registerCommand(second);
    QCOMPARE(all->canExecute(), true);
    const AsyncAction run = all->executeAsync();
    QVERIFY(first->isRunning());
    QCOMPARE(second->executionTask(), nullptr); // refused by the group
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(first->executionTask()->status(), AsyncStatus::Completed);
}

void tst_CompositeCommand::groupStateIsFinalInMembersSignalHandlers_C25()
{
    QObject owner;
    Testing::Gate gate;
    auto *runner = gated(gate, &owner, "runner");
    auto *other = new RelayCommand([] {}, &owner);
    CommandGroup group;
    QStringList seen;
    // Connected before the members join: the group does not depend on the order of slots.
    connect(runner, &AsyncRelayCommand::isRunningChanged, &owner, [&] {
        seen << QStringLiteral("runner=%1 group=%2 other=%3")
                    .arg(runner->isRunning())
                    .arg(group.isRunning())
                    .arg(other->canExecute());
    });
    group.registerCommand(runner);
    group.registerCommand(other);
    const AsyncAction run = runner->executeAsync();
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(seen, QStringList({"runner=1 group=1 other=0", "runner=0 group=0 other=1"}));
}

QTEST_GUILESS_MAIN(tst_CompositeCommand)

#include "tst_compositecommand.moc"
