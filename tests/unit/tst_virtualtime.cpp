// SPDX-License-Identifier: MIT
// Virtual time (design.md A23): every timer of CommandKit reads one clock, which
// Testing::VirtualClock replaces in tests; and the two commands' timers that need it, debounce (C22)
// and throttle (C23). Nothing here sleeps or waits for real time: time moves by advance() only.
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QProperty>
#include <QtCore/QScopeGuard>
#include <QtCore/QStringList>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>
#include <commandkit/virtualclock.h>

#include "moderows.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <type_traits>

using namespace CommandKit;
using namespace std::chrono_literals;
using CommandKit::Testing::VirtualClock;

static_assert(!std::is_copy_constructible_v<VirtualClock> && !std::is_move_constructible_v<VirtualClock>);
static_assert(!std::is_copy_assignable_v<VirtualClock>);

namespace {

/*! A body that waits \a delay on CommandKit's clock, then appends \a label (and the time) to \a log. */
AsyncAction waitThenLog(std::chrono::milliseconds delay, QString label, QStringList &log,
                        const VirtualClock &clock)
{
    co_await resumeAfter(delay);
    log << QStringLiteral("%1@%2").arg(label).arg(clock.now().count());
}

/*! A body that waits \a delay on CommandKit's clock and returns \a text: a search that takes time. */
AsyncOperation<QString> searchFor(QString text, std::chrono::milliseconds delay)
{
    co_await resumeAfter(delay);
    co_return text;
}

/*!
    The viewmodel of a panel that shows "Saved" for two seconds after a save, as an application writes
    it: the command's body waits with resumeAfter() (A16), on the clock (A23).
*/
class NoticeViewModel : public QObject
{
    Q_OBJECT

public:
    NoticeViewModel()
    {
        m_save = new AsyncRelayCommand(
            [this]() -> AsyncAction {
                m_notice = QStringLiteral("Saved");
                co_await resumeAfter(2s);
                m_notice.setValue(QString());
            },
            this);
    }
    AsyncRelayCommand *save() const { return m_save; }
    QString notice() const { return m_notice.value(); }

private:
    AsyncRelayCommand *m_save;
    QProperty<QString> m_notice;
};

} // namespace

class tst_VirtualTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A23 one clock, and the virtual clock
    void timeoutOf30sEndsRunAwaiting60sCanceledInVirtualTime_A23_C11();
    void resumeAfterInViewModelWaitsForVirtualTime_A23_A16();
    void dueTimersRunInDueOrderTiesInStartOrder_A23();
    void timersStartedDuringAdvanceRunWhenDueInTheSameAdvance_A23();
    void cancelRemovesTheTimerFromTheClock_A23_A15();
    void timerOfThreadWithoutEventLoopIsDeliveredToThePool_A23_A16();
    void timerOfAnotherThreadsContextIsPostedToThatThread_A23();
    void destroyingTheClockRestoresTheRealClock_A23();
    void timeoutIsForgottenOnceTheRunHasEnded_A23_C11();

    // C22 debounce
    void debounceAndThrottleAreOffByDefaultBindableAndNotifying_C22_C23();
    void negativeDebounceAndThrottleAreStoredAsZeroWithWarning_C22_C23();
    void debounceCoalescesCallsIntoOneRunWithLastParameter_C22_data() { addModeRows(); }
    void debounceCoalescesCallsIntoOneRunWithLastParameter_C22();
    void debounceOnRelayCommandRunsDelegateOnceAfterTheWindow_C22();
    void debounceChecksCanExecuteWhenTheRunStarts_C22();
    void debounceWithRestartIsSearchAsYouType_C22_C8();
    void debouncedRunStartsThroughTheConcurrencyMode_C22_C8_data() { addModeRows(); }
    void debouncedRunStartsThroughTheConcurrencyMode_C22_C8();
    void cancelDropsTheWaitingDebouncedCall_C22_C11();
    void cancelingTheWaitingCallsOperationDropsIt_C22_C10();
    void deletingTheCommandDropsTheWaitingDebouncedCall_C22_C13();
    void debounceReportsWrongParameterAtTheCall_C22_C4();
    void debouncedDelegateThatThrowsGoesToTheErrorChain_C22_C9();

    // C23 throttle
    void throttleRunsFirstCallAndIgnoresCallsInsideTheWindow_C23_data() { addModeRows(); }
    void throttleRunsFirstCallAndIgnoresCallsInsideTheWindow_C23();
    void throttleOnRelayCommandIgnoresDoubleClick_C23();
    void refusedCallOpensNoThrottleWindow_C23();
    void debounceAppliesAndThrottleIsIgnoredWhenBothAreSet_C22_C23();
};

// --------------------------------------------------------------------------------------------- A23

void tst_VirtualTime::timeoutOf30sEndsRunAwaiting60sCanceledInVirtualTime_A23_C11()
{
    // The acceptance test of issue #15: a 30-second timeout tested in milliseconds of real time.
    QElapsedTimer real;
    real.start();
    {
        VirtualClock clock;
        AsyncRelayCommand command([]() -> AsyncAction { co_await resumeAfter(60s); });
        command.setTimeout(30000);
        const AsyncAction run = command.executeAsync();
        QCOMPARE(clock.pendingCount(), 2); // the timeout and the body's wait

        clock.advance(30s - 1ms);
        QCOMPARE(run.status(), AsyncStatus::Started);
        QVERIFY(command.isRunning());

        clock.advance(1ms);
        QCOMPARE(run.status(), AsyncStatus::Canceled);
        QVERIFY(!command.isRunning()); // the body has unwound inside advance()
        QVERIFY(command.isCancellationRequested());
        QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
        QCOMPARE(clock.now(), 30s);
        QCOMPARE(clock.pendingCount(), 0); // the cancel freed the body's timer (A15)
    }
    const qint64 elapsed = real.elapsed();
    qInfo("a 30 s timeout over a 60 s wait, tested in %.3f ms of real time",
          double(real.nsecsElapsed()) / 1e6);
    // Generous: the point is "not 30 seconds", not a benchmark.
    QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
}

void tst_VirtualTime::resumeAfterInViewModelWaitsForVirtualTime_A23_A16()
{
    VirtualClock clock;
    NoticeViewModel vm;
    Testing::PropertyRecorder recorder(vm.save(), {QStringLiteral("isRunning")});
    vm.save()->execute();
    QCOMPARE(vm.notice(), QStringLiteral("Saved"));

    clock.advance(1999ms);
    QCOMPARE(vm.notice(), QStringLiteral("Saved"));
    QVERIFY(vm.save()->isRunning());

    clock.advance(1ms);
    QCOMPARE(vm.notice(), QString());
    QVERIFY(!vm.save()->isRunning());
    QCOMPARE(vm.save()->executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_VirtualTime::dueTimersRunInDueOrderTiesInStartOrder_A23()
{
    VirtualClock clock;
    QStringList log;
    const AsyncAction a = waitThenLog(300ms, QStringLiteral("a"), log, clock);
    const AsyncAction b = waitThenLog(100ms, QStringLiteral("b"), log, clock);
    const AsyncAction c = waitThenLog(200ms, QStringLiteral("c"), log, clock);
    const AsyncAction d = waitThenLog(100ms, QStringLiteral("d"), log, clock);
    QCOMPARE(clock.pendingCount(), 4);

    clock.advance(1s);
    // Each ran at its own due time, in due order; b and d, due together, in the order they started.
    QCOMPARE(log, QStringList({QStringLiteral("b@100"), QStringLiteral("d@100"), QStringLiteral("c@200"),
                               QStringLiteral("a@300")}));
    QCOMPARE(clock.now(), 1s);
    for (const AsyncAction &op : {a, b, c, d})
        QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_VirtualTime::timersStartedDuringAdvanceRunWhenDueInTheSameAdvance_A23()
{
    VirtualClock clock;
    QStringList log;
    const auto twice = [&log, &clock]() -> AsyncAction {
        co_await resumeAfter(100ms);
        log << QStringLiteral("first@%1").arg(clock.now().count());
        co_await resumeAfter(100ms);
        log << QStringLiteral("second@%1").arg(clock.now().count());
        co_await resumeAfter(100ms);
        log << QStringLiteral("third@%1").arg(clock.now().count());
    };
    const AsyncAction op = twice();
    clock.advance(250ms);
    QCOMPARE(log, QStringList({QStringLiteral("first@100"), QStringLiteral("second@200")}));
    QCOMPARE(clock.pendingCount(), 1);
    QCOMPARE(op.status(), AsyncStatus::Started);
    clock.advance(50ms);
    QCOMPARE(log.last(), QStringLiteral("third@300"));
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_VirtualTime::cancelRemovesTheTimerFromTheClock_A23_A15()
{
    VirtualClock clock;
    QStringList log;
    AsyncAction op = waitThenLog(1h, QStringLiteral("never"), log, clock);
    QCOMPARE(clock.pendingCount(), 1);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(op)); // the body resumed at once with OperationCanceled (A15)
    QCOMPARE(clock.pendingCount(), 0);
    clock.advance(2h);
    QVERIFY(log.isEmpty());
}

void tst_VirtualTime::timerOfThreadWithoutEventLoopIsDeliveredToThePool_A23_A16()
{
    // A pool thread has no event loop: its timer is timed on the main thread and the body resumes on
    // the pool (A16), on the virtual clock as on the real one.
    VirtualClock clock;
    QThread *const mainThread = QThread::currentThread();
    std::atomic<QThread *> resumedOn{nullptr};
    const auto body = [&resumedOn]() -> AsyncAction {
        co_await resumeBackground();
        co_await resumeAfter(5s);
        resumedOn = QThread::currentThread();
    };
    const AsyncAction op = body();
    QTRY_COMPARE(clock.pendingCount(), 1);
    QCOMPARE(op.status(), AsyncStatus::Started);
    clock.advance(5s);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(resumedOn.load() != nullptr);
    QVERIFY(resumedOn.load() != mainThread);
}

void tst_VirtualTime::timerOfAnotherThreadsContextIsPostedToThatThread_A23()
{
    // A body waiting on a thread with an event loop resumes there, posted by advance(), which does
    // not wait for it.
    VirtualClock clock;
    QThread worker;
    worker.start();
    QObject onWorker;
    onWorker.moveToThread(&worker);
    const auto stop = qScopeGuard([&worker] {
        worker.quit();
        worker.wait();
    });
    std::atomic<QThread *> resumedOn{nullptr};
    const auto body = [&resumedOn, &onWorker]() -> AsyncAction {
        co_await resumeOn(&onWorker);
        co_await resumeAfter(2s);
        resumedOn = QThread::currentThread();
    };
    const AsyncAction op = body();
    QTRY_COMPARE(clock.pendingCount(), 1);
    clock.advance(2s);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(resumedOn.load(), &worker);
}

void tst_VirtualTime::destroyingTheClockRestoresTheRealClock_A23()
{
    const auto shortWait = []() -> AsyncAction { co_await resumeAfter(1ms); };
    AsyncAction movedToRealClock;
    {
        VirtualClock clock;
        movedToRealClock = shortWait();
        // Time stands still without advance(): the event loop does not move it.
        QCoreApplication::processEvents();
        QCOMPARE(movedToRealClock.status(), AsyncStatus::Started);
        QCOMPARE(clock.pendingCount(), 1);
    }
    // The wait still pending moved to the real clock with the time it had left: nothing stays suspended.
    QVERIFY(Testing::wait(movedToRealClock));
    QCOMPARE(movedToRealClock.status(), AsyncStatus::Completed);

    // New timers are real ones again.
    const AsyncAction op = shortWait();
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_VirtualTime::timeoutIsForgottenOnceTheRunHasEnded_A23_C11()
{
    VirtualClock clock;
    Testing::Gate gate;
    AsyncRelayCommand command([gate]() -> AsyncAction { co_await gate; });
    command.setTimeout(30000);
    const AsyncAction run = command.executeAsync();
    QCOMPARE(clock.pendingCount(), 1);
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(clock.pendingCount(), 0);
    clock.advance(1min);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QVERIFY(!command.isCancellationRequested());
}

// --------------------------------------------------------------------------------------------- C22

void tst_VirtualTime::debounceAndThrottleAreOffByDefaultBindableAndNotifying_C22_C23()
{
    RelayCommand relay([] {});
    AsyncRelayCommand command([]() -> AsyncAction { co_return; });
    for (Command *c : {static_cast<Command *>(&relay), static_cast<Command *>(&command)}) {
        QCOMPARE(c->debounce(), 0);
        QCOMPARE(c->throttle(), 0);
        QSignalSpy debounceChanged(c, &Command::debounceChanged);
        QSignalSpy throttleChanged(c, &Command::throttleChanged);
        c->setDebounce(300);
        c->setDebounce(300);
        QCOMPARE(debounceChanged.count(), 1);
        QCOMPARE(c->property("debounce").toInt(), 300);

        QProperty<int> window(500);
        c->bindableThrottle().setBinding([&window] { return window.value(); });
        QCOMPARE(c->throttle(), 500);
        QCOMPARE(throttleChanged.count(), 1);
        window = 700;
        QCOMPARE(c->throttle(), 700);
        QCOMPARE(throttleChanged.count(), 2);
        c->bindableThrottle().setValue(0); // removes the binding, before window goes
        QVERIFY(c->setProperty("debounce", 0));
        QCOMPARE(c->debounce(), 0);
    }
}

void tst_VirtualTime::negativeDebounceAndThrottleAreStoredAsZeroWithWarning_C22_C23()
{
    RelayCommand command([] {});
    command.setDebounce(100);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("setDebounce\\(-5\\).*stored as 0")));
    command.setDebounce(-5);
    QCOMPARE(command.debounce(), 0);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("setThrottle\\(-1\\).*stored as 0")));
    command.setThrottle(-1);
    QCOMPARE(command.throttle(), 0);

    // Through the bindable a negative value is stored as it is, and counts as 0: runs go at once.
    int runs = 0;
    RelayCommand counted([&runs] { ++runs; });
    counted.bindableDebounce().setValue(-10);
    counted.execute();
    QCOMPARE(runs, 1);
}

void tst_VirtualTime::debounceCoalescesCallsIntoOneRunWithLastParameter_C22()
{
    QFETCH(ConcurrencyMode, mode);
    VirtualClock clock;
    QStringList seen;
    AsyncRelayCommand command([&seen](const QString &text) -> AsyncAction {
        seen << text;
        co_return;
    });
    command.setConcurrency(mode);
    command.setDebounce(300);

    command.execute(QStringLiteral("r"));
    clock.advance(100ms);
    command.execute(QStringLiteral("re"));
    clock.advance(299ms); // 399 ms after the first call, 299 ms after the last: nothing yet
    command.execute(QStringLiteral("rea"));
    QVERIFY(!command.isRunning());
    QVERIFY(!command.executionTask());
    QCOMPARE(clock.pendingCount(), 1);

    clock.advance(299ms);
    QVERIFY(seen.isEmpty());
    clock.advance(1ms);
    QCOMPARE(seen, QStringList({QStringLiteral("rea")}));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(clock.pendingCount(), 0);

    clock.advance(10s);
    QCOMPARE(seen.size(), 1);
}

void tst_VirtualTime::debounceOnRelayCommandRunsDelegateOnceAfterTheWindow_C22()
{
    VirtualClock clock;
    QList<int> seen;
    RelayCommand command([&seen](int value) { seen << value; });
    command.setDebounce(200);
    for (int i = 1; i <= 5; ++i) {
        command.execute(i);
        clock.advance(50ms);
    }
    QVERIFY(seen.isEmpty());
    clock.advance(150ms); // 200 ms after the fifth call
    QCOMPARE(seen, QList<int>({5}));

    // A pause longer than the window separates two runs.
    command.execute(6);
    clock.advance(200ms);
    command.execute(7);
    clock.advance(200ms);
    QCOMPARE(seen, QList<int>({5, 6, 7}));
}

void tst_VirtualTime::debounceChecksCanExecuteWhenTheRunStarts_C22()
{
    VirtualClock clock;
    QProperty<bool> enabled(false);
    QStringList seen;
    AsyncRelayCommand command(
        [&seen](const QString &text) -> AsyncAction {
            seen << text;
            co_return;
        },
        [&enabled](const QString &text) { return enabled.value() && !text.isEmpty(); });
    command.setDebounce(300);

    // Refused at the call, allowed when the run starts: it runs.
    const AsyncAction allowed = command.executeAsync(QStringLiteral("a"));
    QCOMPARE(allowed.status(), AsyncStatus::Started);
    enabled = true;
    clock.advance(300ms);
    QCOMPARE(seen, QStringList({QStringLiteral("a")}));
    QCOMPARE(allowed.status(), AsyncStatus::Completed);

    // Allowed at the call, refused when the run starts: nothing runs, the operation ends Canceled.
    const AsyncAction refused = command.executeAsync(QStringLiteral("b"));
    enabled = false;
    clock.advance(300ms);
    QCOMPARE(seen.size(), 1);
    QCOMPARE(refused.status(), AsyncStatus::Canceled);

    // The last call decides: an emptied text refuses the run that "abc" would have made.
    enabled = true;
    command.execute(QStringLiteral("abc"));
    command.execute(QString());
    clock.advance(300ms);
    QCOMPARE(seen.size(), 1);
}

void tst_VirtualTime::debounceWithRestartIsSearchAsYouType_C22_C8()
{
    VirtualClock clock;
    QStringList found;
    AsyncRelayCommand search([](const QString &text) { return searchFor(text, 1s); });
    search.setConcurrency(ConcurrencyMode::Restart);
    search.setDebounce(300);
    search.onResult([&found](const QString &text) { found << text; });
    Testing::PropertyRecorder recorder(&search, {QStringLiteral("isRunning")});

    const AsyncAction r = search.executeAsync(QStringLiteral("r"));
    clock.advance(300ms); // a pause: the search for "r" starts
    QVERIFY(search.isRunning());
    QCOMPARE(r.status(), AsyncStatus::Started);

    const AsyncAction re = search.executeAsync(QStringLiteral("re"));
    clock.advance(100ms);
    const AsyncAction rea = search.executeAsync(QStringLiteral("rea"));
    QCOMPARE(re.status(), AsyncStatus::Canceled); // coalesced into the next keystroke, never ran
    QCOMPARE(r.status(), AsyncStatus::Started);   // still searching while the user types

    clock.advance(300ms); // the search for "rea" starts and restarts the one for "r"
    QCOMPARE(r.status(), AsyncStatus::Canceled);
    QCOMPARE(rea.status(), AsyncStatus::Started);
    clock.advance(1s);
    QCOMPARE(rea.status(), AsyncStatus::Completed);
    QCOMPARE(found, QStringList({QStringLiteral("rea")}));
    // One busy period across the restart (C8).
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_VirtualTime::debouncedRunStartsThroughTheConcurrencyMode_C22_C8()
{
    // A run is in progress when the debounced call's window ends: the mode decides, as for execute().
    QFETCH(ConcurrencyMode, mode);
    VirtualClock clock;
    QStringList started;
    AsyncRelayCommand command([&started](const QString &text) -> AsyncAction {
        started << text;
        co_await resumeAfter(1s);
    });
    command.setConcurrency(mode);
    const AsyncAction first = command.executeAsync(QStringLiteral("first"));
    command.setDebounce(100);
    const AsyncAction second = command.executeAsync(QStringLiteral("second"));
    clock.advance(100ms);

    switch (mode) {
    case ConcurrencyMode::Reject:
        QCOMPARE(started, QStringList({QStringLiteral("first")}));
        QCOMPARE(second.status(), AsyncStatus::Canceled);
        QCOMPARE(first.status(), AsyncStatus::Started);
        break;
    case ConcurrencyMode::Parallel:
        QCOMPARE(started, QStringList({QStringLiteral("first"), QStringLiteral("second")}));
        QCOMPARE(first.status(), AsyncStatus::Started);
        QCOMPARE(second.status(), AsyncStatus::Started);
        break;
    case ConcurrencyMode::Restart:
        QCOMPARE(started, QStringList({QStringLiteral("first"), QStringLiteral("second")}));
        QCOMPARE(first.status(), AsyncStatus::Canceled);
        QCOMPARE(second.status(), AsyncStatus::Started);
        break;
    case ConcurrencyMode::Queue:
        QCOMPARE(started, QStringList({QStringLiteral("first")})); // queued behind the first
        QCOMPARE(second.status(), AsyncStatus::Started);
        clock.advance(900ms); // the first ends, the second starts
        QCOMPARE(started, QStringList({QStringLiteral("first"), QStringLiteral("second")}));
        break;
    }
    clock.advance(2s);
    QVERIFY(!command.isRunning());
    QVERIFY(second.status() != AsyncStatus::Started);
    QCOMPARE(clock.pendingCount(), 0);
}

void tst_VirtualTime::cancelDropsTheWaitingDebouncedCall_C22_C11()
{
    VirtualClock clock;
    int runs = 0;
    AsyncRelayCommand command([&runs]() -> AsyncAction {
        ++runs;
        co_return;
    });
    command.setDebounce(300);
    const AsyncAction waiting = command.executeAsync();
    QCOMPARE(clock.pendingCount(), 1);
    command.cancel();
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    QCOMPARE(clock.pendingCount(), 0);
    QVERIFY(!command.isCancellationRequested()); // nothing ran, so nothing was asked to stop
    clock.advance(1s);
    QCOMPARE(runs, 0);

    // The command stays usable.
    command.execute();
    clock.advance(300ms);
    QCOMPARE(runs, 1);
}

void tst_VirtualTime::cancelingTheWaitingCallsOperationDropsIt_C22_C10()
{
    VirtualClock clock;
    int runs = 0;
    AsyncRelayCommand command([&runs]() -> AsyncAction {
        ++runs;
        co_return;
    });
    command.setDebounce(300);
    AsyncAction waiting = command.executeAsync();
    waiting.cancel();
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(waiting));
    QCOMPARE(clock.pendingCount(), 0);
    clock.advance(1s);
    QCOMPARE(runs, 0);
}

void tst_VirtualTime::deletingTheCommandDropsTheWaitingDebouncedCall_C22_C13()
{
    VirtualClock clock;
    int runs = 0;
    auto *relay = new RelayCommand([&runs] { ++runs; });
    auto *command = new AsyncRelayCommand([&runs]() -> AsyncAction {
        ++runs;
        co_return;
    });
    relay->setDebounce(100);
    command->setDebounce(100);
    relay->execute();
    const AsyncAction waiting = command->executeAsync();
    QCOMPARE(clock.pendingCount(), 2);
    delete relay;
    delete command;
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(waiting));
    QCOMPARE(clock.pendingCount(), 0);
    clock.advance(1s);
    QCOMPARE(runs, 0);
}

void tst_VirtualTime::debounceReportsWrongParameterAtTheCall_C22_C4()
{
    VirtualClock clock;
    QList<int> seen;
    RelayCommand command([&seen](int value) { seen << value; });
    command.setDebounce(100);
    QSignalSpy errors(&command, &Command::errorOccurred);
    command.execute(7);
    command.execute(QStringLiteral("not a number"));
    QCOMPARE(errors.count(), 1); // at the call, where a QML caller gets its JavaScript error
    // A wrong call takes no part: the waiting call keeps its parameter and its time.
    clock.advance(100ms);
    QCOMPARE(seen, QList<int>({7}));
}

void tst_VirtualTime::debouncedDelegateThatThrowsGoesToTheErrorChain_C22_C9()
{
    VirtualClock clock;
    RelayCommand command([] { throw std::runtime_error("debounced failure"); });
    command.setDebounce(100);
    QSignalSpy errors(&command, &Command::errorOccurred);
    command.execute();
    clock.advance(100ms); // the run throws inside the clock's call: never into the event loop
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("debounced failure"));
    QCOMPARE(command.lastError(), QStringLiteral("debounced failure"));

    AsyncRelayCommand async([]() -> AsyncAction {
        throw std::runtime_error("async failure");
        co_return;
    });
    async.setDebounce(100);
    QSignalSpy asyncErrors(&async, &Command::errorOccurred);
    const AsyncAction run = async.executeAsync();
    clock.advance(100ms);
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(asyncErrors.count(), 1);
}

// --------------------------------------------------------------------------------------------- C23

void tst_VirtualTime::throttleRunsFirstCallAndIgnoresCallsInsideTheWindow_C23()
{
    QFETCH(ConcurrencyMode, mode);
    VirtualClock clock;
    QList<int> seen;
    AsyncRelayCommand command([&seen](int value) -> AsyncAction {
        seen << value;
        co_return;
    });
    command.setConcurrency(mode);
    command.setThrottle(300);

    const AsyncAction first = command.executeAsync(1); // at once
    QCOMPARE(first.status(), AsyncStatus::Completed);
    QCOMPARE(seen, QList<int>({1}));

    clock.advance(100ms);
    const AsyncAction ignored = command.executeAsync(2);
    QCOMPARE(ignored.status(), AsyncStatus::Canceled); // already over, like a refused call
    command.execute(3);
    clock.advance(199ms);
    command.execute(4);
    QCOMPARE(seen, QList<int>({1}));

    clock.advance(1ms); // the window has ended; nothing runs at its end (leading edge only)
    QCOMPARE(seen, QList<int>({1}));
    command.execute(5);
    QCOMPARE(seen, QList<int>({1, 5}));
    QCOMPARE(clock.pendingCount(), 1); // the new window
}

void tst_VirtualTime::throttleOnRelayCommandIgnoresDoubleClick_C23()
{
    VirtualClock clock;
    int saves = 0;
    RelayCommand save([&saves] { ++saves; });
    save.setThrottle(500);
    save.execute();
    clock.advance(80ms);
    save.execute(); // the second click of a double click
    QCOMPARE(saves, 1);
    clock.advance(1s);
    save.execute();
    QCOMPARE(saves, 2);
}

void tst_VirtualTime::refusedCallOpensNoThrottleWindow_C23()
{
    VirtualClock clock;
    QProperty<bool> enabled(false);
    int runs = 0;
    RelayCommand command([&runs] { ++runs; }, [&enabled] { return enabled.value(); });
    command.setThrottle(300);
    command.execute();
    QCOMPARE(runs, 0);
    QCOMPARE(clock.pendingCount(), 0);
    enabled = true;
    command.execute();
    QCOMPARE(runs, 1);
}

void tst_VirtualTime::debounceAppliesAndThrottleIsIgnoredWhenBothAreSet_C22_C23()
{
    VirtualClock clock;
    QList<int> seen;
    RelayCommand command([&seen](int value) { seen << value; });
    command.setThrottle(1000);
    command.setDebounce(100);
    command.execute(1);
    clock.advance(100ms);
    command.execute(2);
    clock.advance(100ms);
    QCOMPARE(seen, QList<int>({1, 2})); // no throttle window between the two debounced runs
}

QTEST_GUILESS_MAIN(tst_VirtualTime)
#include "tst_virtualtime.moc"
