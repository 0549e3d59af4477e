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

#include <dlfcn.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <new>
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

// ------------------------------------------------------------------------------ faults at the start

/*!
    Allocation failure on demand: the n-th allocation of this thread after arming throws
    std::bad_alloc, once (this executable replaces the global operator new). So a test can make every
    allocation of a start fail in turn, with no hook in the library. Allocations made inside Qt Core
    itself are not failed: Qt is not exception-safe there (QObject::connect() and QTimer::singleShot()
    leak the slot object they were given when an allocation of their own fails), and that is Qt's
    behaviour to own, not CommandKit's. Those made by CommandKit, by the Qt templates it instantiates
    and by the standard library it calls all fail in turn.
*/
thread_local long t_failAt = 0;
thread_local long t_allocations = 0;
thread_local bool t_failed = false;

/*! Whether \a caller (a return address) lies in Qt Core's shared library. */
bool inQtCore(const void *caller)
{
    static const void *const qtCore = [] {
        Dl_info info{};
        return dladdr(reinterpret_cast<const void *>(&qVersion), &info) ? info.dli_fbase : nullptr;
    }();
    Dl_info info{};
    return qtCore && dladdr(caller, &info) && info.dli_fbase == qtCore;
}

class AllocationFault
{
public:
    explicit AllocationFault(long n) noexcept
    {
        (void)inQtCore(nullptr); // looks Qt Core up before arming
        t_allocations = 0;
        t_failed = false;
        t_failAt = n;
    }
    ~AllocationFault() { t_failAt = 0; }
    AllocationFault(const AllocationFault &) = delete;
    AllocationFault &operator=(const AllocationFault &) = delete;
    /*! Whether the armed allocation was reached (and failed). */
    static bool hit() noexcept { return t_failed; }
};

void *allocate(std::size_t size, const void *caller)
{
    if (t_failAt > 0 && !inQtCore(caller) && ++t_allocations == t_failAt) {
        t_failed = true;
        throw std::bad_alloc();
    }
    if (void *memory = std::malloc(size ? size : 1))
        return memory;
    throw std::bad_alloc();
}

/*! A parameter type whose copy throws, once, at the n-th copy after arming. */
int g_copiesUntilThrow = 0;
bool g_copyThrew = false;

struct Touchy
{
    int value = 0;
    Touchy() = default;
    explicit Touchy(int v)
        : value(v)
    {}
    Touchy(const Touchy &other)
        : value(other.value)
    {
        if (g_copiesUntilThrow > 0 && --g_copiesUntilThrow == 0) {
            g_copyThrew = true;
            throw TestError("copying the parameter failed");
        }
    }
    Touchy &operator=(const Touchy &) = default;
    bool operator==(const Touchy &other) const { return value == other.value; }
};

/*! The delegate's shapes: its own coroutine (adopts the run's state) or a function returning one. */
enum class Shape { Coroutine, Function };

void addModeAndShapeRows()
{
    QTest::addColumn<ConcurrencyMode>("mode");
    QTest::addColumn<Shape>("shape");
    const std::pair<const char *, ConcurrencyMode> modes[] = {{"Reject", ConcurrencyMode::Reject},
                                                              {"Parallel", ConcurrencyMode::Parallel},
                                                              {"Restart", ConcurrencyMode::Restart},
                                                              {"Queue", ConcurrencyMode::Queue}};
    for (const auto &[name, mode] : modes) {
        QTest::addRow("%s coroutine", name) << mode << Shape::Coroutine;
        QTest::addRow("%s function", name) << mode << Shape::Function;
    }
}

/*! Gates by value: a Gate holds one waiter, so each run waits on its own. */
using Gates = std::array<std::unique_ptr<Gate>, 8>;

Gates makeGates()
{
    Gates gates;
    for (auto &gate : gates)
        gate = std::make_unique<Gate>();
    return gates;
}

int valueOf(int value)
{
    return value;
}
int valueOf(const Touchy &touchy)
{
    return touchy.value;
}

struct NoHook
{
    void operator()(int) const {}
};

/*
    A command of either shape whose delegate takes a \c P by value, whose value picks the gate it
    waits on and is its result: a coroutine lambda, or a plain function returning a helper's
    operation. \a before runs first: in the coroutine's body, or before the function makes the
    operation (so a throw there is the body's error, or the delegate's own, C9).
*/
template <typename P = int, typename Before = NoHook>
AsyncRelayCommand *makeCommand(Shape shape, Gates &gates, QObject *parent, Before before = {})
{
    if (shape == Shape::Coroutine) {
        return new AsyncRelayCommand(
            [&gates, before](P parameter) -> AsyncOperation<int> {
                before(valueOf(parameter));
                co_await *gates[std::size_t(valueOf(parameter))];
                co_return valueOf(parameter);
            },
            parent);
    }
    return new AsyncRelayCommand(
        [&gates, before](P parameter) {
            before(valueOf(parameter));
            return helperWaiting(*gates[std::size_t(valueOf(parameter))], valueOf(parameter));
        },
        parent);
}

} // namespace

Q_DECLARE_METATYPE(Shape)
Q_DECLARE_METATYPE(Touchy)

void *operator new(std::size_t size)
{
    return allocate(size, __builtin_return_address(0));
}
void *operator new[](std::size_t size)
{
    return allocate(size, __builtin_return_address(0));
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t) noexcept
{
    std::free(memory);
}

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
    void runsSharingOneOperationAllEnd_C5_C8();
    void runsSharingOneOperationAllShowItsProgress_C5_A7();
    void cancelWhileDelegateRunsLeavesAnEndedOperationsOutcome_C5_A4();
    void cancelingTheDelegatesOperationStopsItsToken_C5_A13();
    void delegateReturningACanceledOperationHasItsTokenStopped_C5_A13();
    void throwingDelegateShowsAnOperationEndedError_C9();
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

    // Exception-safe start: a throw at any point of starting a run leaves the command usable (C9).
    void allocationFailureAtAnyPointOfStartLeavesCommandUsable_C9_data() { addModeAndShapeRows(); }
    void allocationFailureAtAnyPointOfStartLeavesCommandUsable_C9();
    void allocationFailureWhileQueuedRunStartsLeavesCommandUsable_C9_data();
    void allocationFailureWhileQueuedRunStartsLeavesCommandUsable_C9();
    void parameterCopyThrowingAtAnyPointOfStartLeavesCommandUsable_C9_data() { addModeAndShapeRows(); }
    void parameterCopyThrowingAtAnyPointOfStartLeavesCommandUsable_C9();
    void throwingPredicateLeavesCommandUsable_C9_data() { addModeAndShapeRows(); }
    void throwingPredicateLeavesCommandUsable_C9();
    void throwingDelegateLeavesCommandUsable_C9_data() { addModeAndShapeRows(); }
    void throwingDelegateLeavesCommandUsable_C9();

private:
    /*!
        After a start that may have failed: once every body is let go the command is idle, its state
        tells so, and a next run works (C7, C8, C9).
    */
    void checkUsable(AsyncRelayCommand &command, Gates &gates, const AsyncAction &faulty,
                     const QString &where);
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

void tst_CommandStart::runsSharingOneOperationAllEnd_C5_C8()
{
    // A delegate that returns the operation already in progress (a "load once" cache): every run is
    // that operation, and each of them ends with it.
    Gate gate;
    AsyncOperation<int> shared;
    AsyncRelayCommand command([&] {
        if (!shared.isValid() || !shared.isRunning())
            shared = helperWaiting(gate, 5);
        return shared;
    });
    command.setConcurrency(ConcurrencyMode::Parallel);
    const AsyncAction first = command.executeAsync();
    ExecutionTask *firstTask = command.executionTask();
    const AsyncAction second = command.executeAsync();
    ExecutionTask *secondTask = command.executionTask();
    QVERIFY(firstTask != secondTask);
    gate.open();
    QVERIFY(Testing::wait(first));
    QVERIFY(Testing::wait(second));
    QVERIFY(Testing::waitUntilIdle(&command));
    QVERIFY(!command.isRunning());
    QCOMPARE(first.status(), AsyncStatus::Completed);
    QCOMPARE(second.status(), AsyncStatus::Completed);
    QCOMPARE(secondTask->result(), QVariant(5));
    QVERIFY(!secondTask->isRunning());
}

AsyncOperationWithProgress<int, int> helperReportingWhenOpened(Gate &report, Gate &end)
{
    auto progress = co_await getProgressToken();
    co_await report;
    progress(40);
    co_await end;
    co_return 5;
}

void tst_CommandStart::runsSharingOneOperationAllShowItsProgress_C5_A7()
{
    // Every run that is the shared operation shows its reports, not only the one attached last.
    Gate report;
    Gate end;
    AsyncOperationWithProgress<int, int> shared;
    AsyncRelayCommand command([&] {
        if (!shared.isValid() || !shared.isRunning())
            shared = helperReportingWhenOpened(report, end);
        return shared;
    });
    command.setConcurrency(ConcurrencyMode::Parallel);
    command.execute();
    ExecutionTask *firstTask = command.executionTask();
    command.execute();
    ExecutionTask *secondTask = command.executionTask();
    QVERIFY(firstTask != secondTask);
    report.open();
    QTRY_COMPARE(secondTask->progress(), QVariant(40));
    QTRY_COMPARE(firstTask->progress(), QVariant(40));
    QVERIFY(firstTask->hasProgress());
    end.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(firstTask->result(), QVariant(5));
    QCOMPARE(secondTask->result(), QVariant(5));
}

void tst_CommandStart::cancelWhileDelegateRunsLeavesAnEndedOperationsOutcome_C5_A4()
{
    // cancel() from inside the delegate, which then returns an operation that has already completed:
    // A4, canceling an ended operation does nothing, so the run completes; it never goes Canceled and
    // back.
    AsyncRelayCommand *self = nullptr;
    AsyncRelayCommand command([&self] {
        self->cancel();
        return helperReturning(111);
    });
    self = &command;
    QList<AsyncStatus> statuses;
    QObject::connect(&command, &AsyncRelayCommand::executionTaskChanged, &command, [&] {
        ExecutionTask *task = command.executionTask();
        QObject::connect(task, &ExecutionTask::statusChanged, &command,
                         [&statuses, task] { statuses << task->status(); });
    });
    const AsyncAction run = command.executeAsync();
    QVERIFY(Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(111));
    QCOMPARE(statuses, QList<AsyncStatus>({AsyncStatus::Completed}));
    QVERIFY(!command.isRunning());
}

void tst_CommandStart::cancelingTheDelegatesOperationStopsItsToken_C5_A13()
{
    // The operation the delegate returned, canceled directly rather than through the command: the
    // delegate's std::stop_token is stopped too, and a stop callback that cancels again is harmless.
    Gate gate;
    std::stop_token seen;
    AsyncRelayCommand command([&](std::stop_token token) {
        seen = token;
        return valueAfter(gate, 1);
    });
    command.execute();
    AsyncAction operation = command.executionTask()->operation();
    int stops = 0;
    const std::stop_callback onStop(seen, [&] {
        ++stops;
        operation.cancel();
    });
    QVERIFY(!seen.stop_requested());
    operation.cancel();
    QVERIFY(seen.stop_requested());
    QCOMPARE(stops, 1);
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_CommandStart::delegateReturningACanceledOperationHasItsTokenStopped_C5_A13()
{
    Gate gate;
    std::stop_token seen;
    AsyncRelayCommand command([&](std::stop_token token) {
        seen = token;
        AsyncOperation<int> operation = valueAfter(gate, 1);
        operation.cancel();
        return operation;
    });
    command.execute();
    QVERIFY(seen.stop_requested());
    gate.open();
    QVERIFY(Testing::waitUntilIdle(&command));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Canceled);
}

void tst_CommandStart::throwingDelegateShowsAnOperationEndedError_C9()
{
    AsyncRelayCommand command([]() -> AsyncAction { throw std::runtime_error("no disk"); });
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression("no disk"));
    command.execute();
    const AsyncAction operation = command.executionTask()->operation();
    QVERIFY(operation.isValid());
    QCOMPARE(operation.status(), AsyncStatus::Error);
    QCOMPARE(operation.errorString(), QStringLiteral("no disk"));
    QCOMPARE(command.executionTask()->status(), AsyncStatus::Error);
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
    QCOMPARE(command.executionTask()->operation().id(), existing.id()); // what the delegate returned (C5)
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

// ------------------------------------------------------------------- exception-safe start (C9)

void tst_CommandStart::checkUsable(AsyncRelayCommand &command, Gates &gates, const AsyncAction &faulty,
                                   const QString &where)
{
    const QByteArray at = where.toUtf8();
    for (auto &gate : gates)
        gate->open();
    QVERIFY2(Testing::waitUntilIdle(&command), at);
    QVERIFY2(!command.isRunning(), at);
    QVERIFY2(!command.canBeCanceled(), at);
    QVERIFY2(command.canExecute(), at);
    QVERIFY2(command.canExecuteWith(5), at);
    if (faulty.isValid()) {
        QVERIFY2(Testing::wait(faulty), at);
        QVERIFY2(faulty.status() != AsyncStatus::Started, at);
    }
    if (ExecutionTask *task = command.executionTask()) {
        QVERIFY2(!task->isRunning(), at);
        QVERIFY2(task->status() != AsyncStatus::Started, at);
    }
    // The next run works, and ends as it should.
    const AsyncAction next = command.executeAsync(5);
    QVERIFY2(Testing::wait(next), at);
    QCOMPARE(next.status(), AsyncStatus::Completed);
    QCOMPARE(command.executionTask()->result(), QVariant(5));
    QVERIFY2(!command.isRunning(), at);
    QVERIFY2(command.canExecute(), at);
}

void tst_CommandStart::allocationFailureAtAnyPointOfStartLeavesCommandUsable_C9()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(Shape, shape);
    UnhandledErrors errors;
    long n = 1;
    int escaped = 0;
    for (;; ++n) {
        QVERIFY2(n < 1000, "the start never stopped allocating");
        Gates gates = makeGates();
        QObject owner;
        AsyncRelayCommand &command = *makeCommand(shape, gates, &owner);
        command.setTimeout(60000); // the timer is one more allocation of the start
        command.setConcurrency(mode);
        // A run in progress (but in Reject mode, which would refuse the next): Restart stops it,
        // Queue queues behind it, Parallel runs beside it.
        AsyncAction first;
        if (mode != ConcurrencyMode::Reject)
            first = command.executeAsync(1);
        AsyncAction faulty;
        bool hit = false;
        {
            const AllocationFault fault(n);
            try {
                faulty = command.executeAsync(2);
            } catch (const std::bad_alloc &) {
                ++escaped;
            }
            hit = AllocationFault::hit();
        }
        checkUsable(command, gates, faulty, QStringLiteral("allocation %1").arg(n));
        if (QTest::currentTestFailed())
            return;
        if (first.isValid()) {
            QVERIFY(Testing::wait(first));
            QVERIFY(first.status() != AsyncStatus::Started);
        }
        if (!hit)
            break; // past the start's last allocation
    }
    qInfo("%ld allocations in a start; %d failures escaped executeAsync()", n - 1, escaped);
    // Every start allocates its operation and more: a queued one its place in the queue, one that runs
    // its frame, its timer... (the command's Extras exist since the first run).
    QVERIFY(n > (mode == ConcurrencyMode::Queue ? 2 : 3));
}

void tst_CommandStart::allocationFailureWhileQueuedRunStartsLeavesCommandUsable_C9_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::newRow("coroutine") << Shape::Coroutine;
    QTest::newRow("function") << Shape::Function;
}

void tst_CommandStart::allocationFailureWhileQueuedRunStartsLeavesCommandUsable_C9()
{
    // Queue mode starts a waiting run when the one before it ends: the end of run 1 makes run 2.
    QFETCH(Shape, shape);
    UnhandledErrors errors;
    long n = 1;
    for (;; ++n) {
        QVERIFY2(n < 1000, "the end never stopped allocating");
        Gates gates = makeGates();
        QObject owner;
        AsyncRelayCommand &command = *makeCommand(shape, gates, &owner);
        command.setConcurrency(ConcurrencyMode::Queue);
        const AsyncAction first = command.executeAsync(1);
        const AsyncAction queued = command.executeAsync(2);
        const AsyncAction last = command.executeAsync(3);
        bool hit = false;
        {
            const AllocationFault fault(n);
            QCOMPARE(thrown([&] { gates[1]->open(); }), QStringLiteral("nothing"));
            hit = AllocationFault::hit();
        }
        checkUsable(command, gates, queued, QStringLiteral("allocation %1").arg(n));
        if (QTest::currentTestFailed())
            return;
        QVERIFY(Testing::wait(first));
        QVERIFY(Testing::wait(last));
        QCOMPARE(last.status(), AsyncStatus::Completed); // the queue goes on after a run that failed
        if (!hit)
            break;
    }
    qInfo("%ld allocations from a run's end to the next run's start", n - 1);
}

void tst_CommandStart::parameterCopyThrowingAtAnyPointOfStartLeavesCommandUsable_C9()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(Shape, shape);
    UnhandledErrors errors;
    int n = 1;
    for (;; ++n) {
        QVERIFY2(n < 100, "the start never stopped copying its parameter");
        Gates gates = makeGates();
        QObject owner;
        AsyncRelayCommand *command = makeCommand<Touchy>(shape, gates, &owner);
        command->setConcurrency(mode);
        QSignalSpy errorSpy(command, &Command::errorOccurred);
        AsyncAction first;
        if (mode != ConcurrencyMode::Reject)
            first = command->executeAsync(QVariant::fromValue(Touchy(1)));
        const QVariant parameter = QVariant::fromValue(Touchy(2));
        AsyncAction faulty;
        g_copyThrew = false;
        g_copiesUntilThrow = n;
        QCOMPARE(thrown([&] { faulty = command->executeAsync(parameter); }), QStringLiteral("nothing"));
        g_copiesUntilThrow = 0;
        const bool hit = g_copyThrew;
        QVERIFY(faulty.isValid());
        for (auto &gate : gates)
            gate->open();
        QVERIFY(Testing::waitUntilIdle(command));
        QVERIFY(Testing::wait(faulty));
        if (hit) {
            // Refused (the check converts), not started, or failed: never Completed, and reported (C9).
            QVERIFY2(faulty.status() != AsyncStatus::Completed, qPrintable(QString::number(n)));
            QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
            QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("copying the parameter failed"));
        } else {
            QCOMPARE(faulty.status(), AsyncStatus::Completed);
        }
        QVERIFY(!command->isRunning());
        QVERIFY(command->canExecute());
        const AsyncAction next = command->executeAsync(QVariant::fromValue(Touchy(5)));
        QVERIFY(Testing::wait(next));
        QCOMPARE(next.status(), AsyncStatus::Completed);
        QCOMPARE(command->executionTask()->result(), QVariant(5));
        if (!hit)
            break;
    }
    qInfo("%d copies of the parameter in a start", n - 1);
}

void tst_CommandStart::throwingPredicateLeavesCommandUsable_C9()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(Shape, shape);
    Q_UNUSED(shape);
    UnhandledErrors errors;
    Gates gates = makeGates();
    bool throwNow = false;
    AsyncRelayCommand command(
        [&gates](int value) { return helperWaiting(*gates[std::size_t(value)], value); },
        [&throwNow](int) {
            if (throwNow)
                throw TestError("predicate failed");
            return true;
        });
    command.setConcurrency(mode);
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    AsyncAction first;
    if (mode != ConcurrencyMode::Reject)
        first = command.executeAsync(1);
    throwNow = true;
    AsyncAction refused;
    QCOMPARE(thrown([&] { refused = command.executeAsync(2); }), QStringLiteral("nothing"));
    throwNow = false;
    QCOMPARE(refused.status(), AsyncStatus::Canceled); // not run: the answer was false (C9)
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 1, 5000);
    QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("predicate failed"));
    QCOMPARE(command.isRunning(), mode != ConcurrencyMode::Reject);
    checkUsable(command, gates, refused, QStringLiteral("predicate"));
}

void tst_CommandStart::throwingDelegateLeavesCommandUsable_C9()
{
    QFETCH(ConcurrencyMode, mode);
    QFETCH(Shape, shape);
    UnhandledErrors errors;
    Gates gates = makeGates();
    QObject owner;
    AsyncRelayCommand *command = makeCommand(shape, gates, &owner, [](int value) {
        if (value == 2)
            throw TestError("delegate failed");
    });
    command->setConcurrency(mode);
    QSignalSpy errorSpy(command, &Command::errorOccurred);
    AsyncAction first;
    if (mode != ConcurrencyMode::Reject)
        first = command->executeAsync(1);
    AsyncAction failed;
    QCOMPARE(thrown([&] { failed = command->executeAsync(2); }), QStringLiteral("nothing"));
    checkUsable(*command, gates, failed, QStringLiteral("delegate"));
    QCOMPARE(failed.status(), AsyncStatus::Error);
    QCOMPARE(thrown([&] { failed.getResults(); }), QStringLiteral("TestError: delegate failed"));
    QCOMPARE(errorSpy.count(), 1);
    if (first.isValid())
        QCOMPARE(first.status(),
                 mode == ConcurrencyMode::Restart ? AsyncStatus::Canceled : AsyncStatus::Completed);
}

QTEST_GUILESS_MAIN(tst_CommandStart)

#include "tst_commandstart.moc"
