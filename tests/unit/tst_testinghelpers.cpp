// SPDX-License-Identifier: MIT
// Unit tests of the test helpers of commandkit/testing.h for viewmodel tests (design.md C19–C21):
// Gate, ProgressRecorder, PropertyRecorder's text of lists and gadgets and its canExecuteWith().
#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QVariantMap>
#include <QtTest/QtTest>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/cancellation.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <atomic>

using namespace CommandKit;
using Testing::Gate;

namespace {

struct Transfer
{
    Q_GADGET
    Q_PROPERTY(int done MEMBER done)
    Q_PROPERTY(int total MEMBER total)

public:
    int done = 0;
    int total = 0;
    bool operator==(const Transfer &other) const { return done == other.done && total == other.total; }
};

class Shelf : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QStringList titles MEMBER m_titles NOTIFY changed)
    Q_PROPERTY(Transfer transfer MEMBER m_transfer NOTIFY changed)
    Q_PROPERTY(QVariantMap tags MEMBER m_tags NOTIFY changed)

public:
    void set(QStringList titles, Transfer transfer, QVariantMap tags)
    {
        m_titles = std::move(titles);
        m_transfer = transfer;
        m_tags = std::move(tags);
        Q_EMIT changed();
    }

Q_SIGNALS:
    void changed();

private:
    QStringList m_titles;
    Transfer m_transfer;
    QVariantMap m_tags;
};

AsyncAction awaitGate(const Gate &gate)
{
    co_await gate;
}

// Reports 1..count from a pool thread, checking for cancellation before each report. It starts reporting
// only after the delegate has returned (a timer of the calling thread), so the command follows the run
// from its first report whether it adopted the lambda's operation or mirrors it (C5, C20).
const auto countOnPool = [](int count) -> AsyncOperation<int, int> {
    auto progress = co_await getProgressToken();
    auto canceled = co_await getCancellationToken();
    co_await resumeAfter(std::chrono::milliseconds(1));
    co_await resumeBackground();
    for (int i = 1; i <= count; ++i) {
        if (canceled())
            throw OperationCanceled("counting was canceled");
        progress(i);
    }
    co_return count;
};

} // namespace

class tst_TestingHelpers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gateHoldsRunUntilOpened_C19();
    void gateResumesOnAwaitingThread_C19();
    void gateCancelEndsWaitAtOnce_C19();
    void gateWithPropagationOffWaitsForOpen_C19();
    void gatePassBlocksWorkerThread_C19();
    void gateOpensWithItsLastHandle_C19();
    void gateWaitForArrivalsTimesOut_C19();

    void progressRecorderSeesEveryReportInOrder_C20();
    void progressRecorderHoldsRunAtChosenReport_C20();
    void progressRecorderWritesGadgets_C20_C21();
    void progressRecorderCannotHoldTestThread_C20();

    void propertyRecorderWritesListsMapsAndGadgets_C21();
    void propertyRecorderFollowsCanExecuteWith_C21();
};

void tst_TestingHelpers::gateHoldsRunUntilOpened_C19()
{
    Gate gate;
    AsyncRelayCommand command([gate]() -> AsyncOperation<int> {
        co_await gate;
        co_return 42;
    });
    const AsyncAction run = command.executeAsync();
    QVERIFY(command.isRunning());
    QCOMPARE(gate.arrivals(), 1);
    QCOMPARE(gate.waiting(), 1);
    QVERIFY(!gate.isOpen());
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(command.executionTask()->result(), QVariant(42));
    QCOMPARE(gate.waiting(), 0);
    // Open for good: the next run passes at once.
    QVERIFY(Testing::wait(command.executeAsync()));
    QCOMPARE(gate.arrivals(), 2);
}

void tst_TestingHelpers::gateResumesOnAwaitingThread_C19()
{
    Gate onMain;
    Gate onPool;
    std::atomic<QThread *> mainResumedOn{nullptr};
    std::atomic<QThread *> poolResumedOn{nullptr};
    AsyncRelayCommand command([&]() -> AsyncAction {
        co_await onMain;
        mainResumedOn = QThread::currentThread();
        co_await resumeBackground();
        co_await onPool;
        poolResumedOn = QThread::currentThread();
    });
    const AsyncAction run = command.executeAsync();
    onMain.open();
    QVERIFY(mainResumedOn.load() == nullptr); // through the event loop, not inside open()
    QVERIFY(onPool.waitForArrivals());
    QCOMPARE(mainResumedOn.load(), QThread::currentThread());
    onPool.open();
    QVERIFY(Testing::wait(run));
    QVERIFY(poolResumedOn.load() != nullptr);
    QVERIFY(poolResumedOn.load() != QThread::currentThread()); // a pool thread: it has no event loop
}

void tst_TestingHelpers::gateCancelEndsWaitAtOnce_C19()
{
    Gate gate;
    bool after = false;
    AsyncRelayCommand command([&]() -> AsyncAction {
        co_await gate;
        after = true;
    });
    const AsyncAction run = command.executeAsync();
    command.cancel(); // A15: the wait ends now, the body throws OperationCanceled
    QVERIFY(Testing::wait(run, std::chrono::milliseconds(0)) || Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!command.isRunning());
    QVERIFY(!after);
    QCOMPARE(gate.waiting(), 0);
    QVERIFY(!gate.isOpen());
}

void tst_TestingHelpers::gateWithPropagationOffWaitsForOpen_C19()
{
    Gate gate;
    QStringList steps;
    AsyncRelayCommand command([&]() -> AsyncAction {
        auto token = co_await getCancellationToken();
        token.enablePropagation(false);
        co_await gate;
        steps << "after gate";
        co_await resumeAfter(std::chrono::milliseconds(0)); // A14: the next co_await throws
        steps << "never";
    });
    const AsyncAction run = command.executeAsync();
    command.cancel();
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
    QVERIFY(command.isRunning()); // held at the gate: the window between cancel() and the end (A5)
    gate.open();
    QVERIFY(Testing::wait(run));
    QCOMPARE(steps, QStringList({"after gate"}));
    QVERIFY(!command.isRunning());
}

void tst_TestingHelpers::gatePassBlocksWorkerThread_C19()
{
    Gate gate;
    std::atomic<bool> passed{false};
    std::unique_ptr<QThread> worker(QThread::create([&gate, &passed] {
        gate.pass();
        passed = true;
    }));
    worker->start();
    QVERIFY(gate.waitForArrivals());
    QCOMPARE(gate.waiting(), 1);
    QVERIFY(!passed);
    // On the test's own thread a closed gate refuses to block.
    try {
        gate.pass();
        QFAIL("pass() on the main thread did not throw");
    } catch (const AsyncError &error) {
        QCOMPARE(error.code(), AsyncError::WrongThread);
    }
    gate.open();
    QVERIFY(worker->wait(5000));
    QVERIFY(passed);
    gate.pass(); // open: passes at once, also here
}

void tst_TestingHelpers::gateOpensWithItsLastHandle_C19()
{
    AsyncAction run;
    {
        Gate gate;
        run = awaitGate(gate);
        QVERIFY(run.isRunning());
    } // a test that fails early leaves nothing suspended
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
}

void tst_TestingHelpers::gateWaitForArrivalsTimesOut_C19()
{
    Gate gate;
    QVERIFY(!gate.waitForArrivals(1, std::chrono::milliseconds(10)));
    QVERIFY(gate.waitForArrivals(0));
}

void tst_TestingHelpers::progressRecorderSeesEveryReportInOrder_C20()
{
    AsyncRelayCommand command(countOnPool);
    Testing::ProgressRecorder progress(&command);
    QVERIFY(Testing::wait(command.executeAsync(1000)));
    QList<int> expected;
    for (int i = 1; i <= 1000; ++i)
        expected << i;
    QCOMPARE(progress.values<int>(), expected); // not coalesced, unlike ExecutionTask::progress (A7)
    QCOMPARE(command.executionTask()->progress(), QVariant(1000));
    QVERIFY(Testing::wait(command.executeAsync(2)));
    QCOMPARE(progress.count(), 1002);
    progress.clear();
    QVERIFY(Testing::wait(command.executeAsync(2)));
    QCOMPARE(progress.texts(), QStringList({"1", "2"}));
}

void tst_TestingHelpers::progressRecorderHoldsRunAtChosenReport_C20()
{
    AsyncRelayCommand command(countOnPool);
    Testing::ProgressRecorder progress(&command);
    Gate gate;
    progress.holdAt(2, gate);
    const AsyncAction run = command.executeAsync(5);
    QVERIFY(gate.waitForArrivals());
    // Mid-run: exactly two reports made, the body held right after the second.
    QCOMPARE(progress.values<int>(), QList<int>({1, 2}));
    QVERIFY(command.isRunning());
    command.cancel();
    QVERIFY(command.isRunning()); // the body is held, not awaiting: it learns of the cancel once released
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(progress.values<int>(), QList<int>({1, 2}));
}

void tst_TestingHelpers::progressRecorderWritesGadgets_C20_C21()
{
    AsyncRelayCommand command([]() -> AsyncOperation<void, Transfer> {
        auto progress = co_await getProgressToken();
        co_await resumeAfter(std::chrono::milliseconds(1)); // reports once the delegate has returned (C20)
        co_await resumeBackground();
        progress(Transfer{1, 4});
        progress(Transfer{4, 4});
    });
    Testing::ProgressRecorder progress(&command);
    QVERIFY(Testing::wait(command.executeAsync()));
    QCOMPARE(progress.texts(), QStringList({"Transfer{done: 1, total: 4}", "Transfer{done: 4, total: 4}"}));
    QCOMPARE(progress.values<Transfer>().last(), (Transfer{4, 4}));
}

void tst_TestingHelpers::progressRecorderCannotHoldTestThread_C20()
{
    AsyncRelayCommand command([]() -> AsyncOperation<void, int> {
        auto progress = co_await getProgressToken();
        progress(7); // before any suspension: on the test's thread
        co_return;
    });
    Testing::ProgressRecorder progress(&command);
    Gate gate;
    progress.holdAt(1, gate);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("report 1 came on the test's own thread"));
    QVERIFY(Testing::wait(command.executeAsync()));
    QCOMPARE(progress.values<int>(), QList<int>({7}));
    QCOMPARE(gate.arrivals(), 0);
}

void tst_TestingHelpers::propertyRecorderWritesListsMapsAndGadgets_C21()
{
    Shelf shelf;
    Testing::PropertyRecorder recorder(&shelf, {"titles", "transfer", "tags"});
    shelf.set({"Dune", "Emma"}, Transfer{2, 3}, QVariantMap{{"genre", "novel"}, {"pages", 412}});
    QCOMPARE(recorder.changes(),
             QStringList({R"(titles=["Dune", "Emma"])", "transfer=Transfer{done: 2, total: 3}",
                          R"(tags={"genre": "novel", "pages": 412})"}));
}

void tst_TestingHelpers::propertyRecorderFollowsCanExecuteWith_C21()
{
    Gate gate;
    AsyncRelayCommand command([gate](const QString &) -> AsyncAction { co_await gate; },
                              [](const QString &text) { return !text.isEmpty(); });
    Testing::PropertyRecorder recorder(&command, {"isRunning"});
    recorder.recordCanExecuteWith(QStringLiteral("notes"));
    const AsyncAction run = command.executeAsync(QStringLiteral("notes"));
    gate.open();
    QVERIFY(Testing::wait(run));
    // canExecute (the answer for QString()) is false all along; the button's answer is recorded.
    QCOMPARE(recorder.changes(), QStringList({"isRunning=true", R"(canExecuteWith("notes")=false)",
                                              "isRunning=false", R"(canExecuteWith("notes")=true)"}));
    Testing::PropertyRecorder notACommand(new QObject(this));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("is not a CommandKit::Command"));
    notACommand.recordCanExecuteWith(1);
}

QTEST_GUILESS_MAIN(tst_TestingHelpers)
#include "tst_testinghelpers.moc"
