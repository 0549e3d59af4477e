// SPDX-License-Identifier: MIT
// Unit tests of the async core: AsyncOperation, its tokens and scheduling (design.md A1–A20).
#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#include <QtCore/QRegularExpression>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/cancellation.h>
#include <commandkit/errors.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h> // _AddressOfReturnAddress
#endif

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;
using namespace std::chrono_literals;

// A handle is a cheap, copyable, movable reference to shared state; == compares identity.
static_assert(std::is_nothrow_default_constructible_v<AsyncOperation<int>>);
static_assert(std::is_copy_constructible_v<AsyncOperation<int, double>>);
static_assert(std::is_copy_assignable_v<AsyncOperation<int, double>>);
static_assert(std::is_nothrow_move_constructible_v<AsyncOperation<int, double>>);
static_assert(std::is_nothrow_move_assignable_v<AsyncOperation<int, double>>);
static_assert(std::is_nothrow_swappable_v<AsyncOperation<int, double>>);
static_assert(std::equality_comparable<AsyncOperation<int>>);
// The four Windows Runtime shapes are one template; any operation can be viewed as an AsyncAction.
static_assert(std::is_same_v<AsyncAction, AsyncOperation<void, void>>);
static_assert(std::is_same_v<AsyncActionWithProgress<int>, AsyncOperation<void, int>>);
static_assert(std::is_same_v<AsyncOperationWithProgress<QString, int>, AsyncOperation<QString, int>>);
static_assert(std::is_convertible_v<AsyncOperation<int>, AsyncAction>);
static_assert(std::is_convertible_v<AsyncActionWithProgress<int>, AsyncAction>);
static_assert(std::is_convertible_v<AsyncOperation<QString, double>, AsyncAction>);
static_assert(!std::is_convertible_v<AsyncAction, AsyncOperation<int>>);
static_assert(!std::is_convertible_v<AsyncOperation<int>, AsyncOperation<double>>);
// Tokens are cheap copyable handles.
static_assert(std::is_nothrow_default_constructible_v<CancellationToken>);
static_assert(std::is_copy_constructible_v<CancellationToken> &&
              std::is_nothrow_move_constructible_v<CancellationToken>);
static_assert(std::is_copy_constructible_v<ProgressToken<int>> &&
              std::is_nothrow_move_constructible_v<ProgressToken<int>>);
// A20: the two exception types.
static_assert(std::is_base_of_v<std::logic_error, AsyncError>);
static_assert(std::is_base_of_v<std::exception, OperationCanceled>);
static_assert(!std::is_base_of_v<std::logic_error, OperationCanceled>);

namespace {

// Bodies are free functions: their parameters live in the coroutine frame, unlike a lambda's captures.

AsyncOperation<int> immediate(int value)
{
    co_return value;
}

AsyncOperation<int> failImmediately(std::string message)
{
    throw TestError(message);
    co_return 0;
}

AsyncOperation<int> failAfter(Gate &gate, std::string message)
{
    co_await gate;
    throw TestError(message);
}

struct Sentinel
{
    bool *destroyed;
    ~Sentinel() { *destroyed = true; }
};

AsyncAction stepsAround(Gate &gate, int *step, bool *localDestroyed)
{
    Sentinel local{localDestroyed};
    *step = 1;
    co_await gate;
    *step = 2;
}

AsyncAction callbackThenWait(Gate &gate, std::function<void()> callback)
{
    auto token = co_await getCancellationToken();
    token.callback(std::move(callback));
    co_await gate;
}

AsyncAction throwAfterCancel(Gate &gate, std::string message)
{
    bool canceled = false;
    try {
        co_await gate;
    } catch (const OperationCanceled &) {
        canceled = true;
    }
    if (canceled)
        throw TestError(message);
}

AsyncOperation<int> returnAfterCancel(Gate &gate, int value)
{
    try {
        co_await gate;
    } catch (const OperationCanceled &) {
    }
    co_return value;
}

AsyncAction throwCanceledItself()
{
    throw OperationCanceled("the body gave up");
    co_return;
}

AsyncOperation<int> awaitValue(AsyncOperation<int> inner, QThread **resumedOn)
{
    const int value = co_await inner;
    if (resumedOn)
        *resumedOn = QThread::currentThread();
    co_return value + 1;
}

AsyncOperation<int> awaitAgile(AsyncOperation<int> inner, QThread **resumedOn)
{
    const int value = co_await resumeAgile(inner);
    *resumedOn = QThread::currentThread();
    co_return value + 1;
}

AsyncOperation<QString> catchInner(AsyncOperation<int> inner)
{
    try {
        co_await inner;
    } catch (const TestError &e) {
        co_return QString::fromUtf8(e.what());
    }
    co_return QString();
}

AsyncOperation<int> valueFromPool(Gate &gate, int value, QThread **ranOn)
{
    co_await gate;
    co_await resumeBackground();
    *ranOn = QThread::currentThread();
    co_return value;
}

AsyncOperation<int> awaitWithoutPropagation(AsyncOperation<int> inner)
{
    auto token = co_await getCancellationToken();
    token.enablePropagation(false);
    co_return co_await inner;
}

AsyncAction delayed(std::chrono::milliseconds duration, QThread **resumedOn)
{
    co_await resumeAfter(duration);
    *resumedOn = QThread::currentThread();
}

AsyncOperation<int> delayedValue(std::chrono::milliseconds duration, int value)
{
    co_await resumeAfter(duration);
    co_return value;
}

AsyncAction onPool(QThreadPool *pool, QThread **ranOn, int *activeThreads)
{
    co_await resumeBackground(pool);
    *ranOn = QThread::currentThread();
    *activeThreads = pool->activeThreadCount();
}

AsyncAction onObjectThread(QObject *target, QThread **ranOn)
{
    co_await resumeOn(target);
    *ranOn = QThread::currentThread();
}

AsyncAction backgroundThenDelay(std::chrono::milliseconds duration, QThread **resumedOn)
{
    co_await resumeBackground();
    co_await resumeAfter(duration);
    *resumedOn = QThread::currentThread();
}

AsyncOperation<int> awaitThenAwaitAgainWithoutPropagation(AsyncOperation<int> inner, int *got,
                                                          bool *ranPastSecondAwait)
{
    auto token = co_await getCancellationToken();
    token.enablePropagation(false);
    *got = co_await inner;
    co_await inner; // already ended: would not suspend, but the body was canceled meanwhile
    *ranPastSecondAwait = true;
    co_return *got;
}

AsyncAction onDefaultPool(QThread **ranOn, int *activeThreads)
{
    co_await resumeBackground();
    *ranOn = QThread::currentThread();
    *activeThreads = threadPool()->activeThreadCount();
}

AsyncAction waitOnOwnPool(QSemaphore *started, QSemaphore *release, std::atomic<QThreadPool *> *ranOnPool)
{
    co_await resumeBackground();
    ranOnPool->store(threadPool());
    started->release();
    release->acquire();
}

AsyncAction keepCancellationToken(Gate &gate, CancellationToken *out)
{
    *out = co_await getCancellationToken();
    co_await gate;
}

AsyncAction keepStopToken(Gate &gate, std::stop_token *out)
{
    auto token = co_await getCancellationToken();
    *out = token.stopToken();
    co_await gate;
}

AsyncAction stopTokenAfterCancel(Gate &gate, bool *stopped)
{
    auto token = co_await getCancellationToken();
    try {
        co_await gate;
    } catch (const OperationCanceled &) {
    }
    *stopped = token.stopToken().stop_requested();
}

AsyncAction callbackAfterCancel(Gate &gate, bool *ranInsideCallback)
{
    auto token = co_await getCancellationToken();
    try {
        co_await gate;
    } catch (const OperationCanceled &) {
    }
    bool ran = false;
    token.callback([&ran] { ran = true; });
    *ranInsideCallback = ran;
}

AsyncAction togglePropagation(QList<bool> *answers)
{
    auto token = co_await getCancellationToken();
    answers->append(token.enablePropagation(false));
    answers->append(token.enablePropagation(true));
    answers->append(token.enablePropagation(true));
}

AsyncActionWithProgress<int> tokensWithoutSuspending(bool *reachedEnd)
{
    auto cancellation = co_await getCancellationToken();
    auto progress = co_await getProgressToken();
    progress(1);
    *reachedEnd = !cancellation();
}

AsyncAction markAfter(Gate &gate, bool *after)
{
    co_await gate;
    *after = true;
}

AsyncAction awaitAgainAfterCancel(Gate &gate, bool *firstThrew, bool *secondRan)
{
    try {
        co_await gate;
    } catch (const OperationCanceled &) {
        *firstThrew = true;
    }
    // An operation that has already ended would not suspend; the check of A14 comes first anyway.
    co_await immediate(1);
    *secondRan = true;
}

AsyncActionWithProgress<int> reportAfter(Gate &gate, QList<int> values)
{
    auto progress = co_await getProgressToken();
    co_await gate;
    for (int value : values)
        progress(value);
}

AsyncActionWithProgress<int> reportBetween(Gate &first, QList<int> values, Gate &second)
{
    auto progress = co_await getProgressToken();
    co_await first;
    for (int value : values)
        progress(value);
    co_await second;
}

AsyncActionWithProgress<int> reportInTwoBatches(Gate &first, int a, Gate &second, int b)
{
    auto progress = co_await getProgressToken();
    co_await first;
    progress(a);
    co_await second;
    progress(b);
}

AsyncActionWithProgress<int> reportOnPool(Gate &gate, QList<int> values)
{
    auto progress = co_await getProgressToken();
    co_await gate;
    co_await resumeBackground();
    for (int value : values)
        progress(value);
}

AsyncActionWithProgress<int> keepProgressToken(std::optional<ProgressToken<int>> *out)
{
    *out = co_await getProgressToken();
}

// Parks the awaiting frame's handle in *parked, for a test to destroy it from outside, as a foreign
// scheduler might.
struct ParkFrame
{
    std::coroutine_handle<> *parked;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) const noexcept { *parked = handle; }
    void await_resume() const noexcept {}
};

AsyncOperation<int> parkedBody(std::coroutine_handle<> *parked, std::shared_ptr<int> parameter)
{
    co_await ParkFrame{parked};
    co_return *parameter;
}

// Holds the handle of the operation that holds it, through its parameter.
struct HandleHolder
{
    AsyncAction operation;
};

AsyncAction parkedHoldingItsHandle(std::coroutine_handle<> *parked, std::shared_ptr<HandleHolder> holder)
{
    co_await ParkFrame{parked};
    (void)holder;
}

AsyncOperation<std::shared_ptr<int>> sharedResult(std::weak_ptr<int> *observer)
{
    auto result = std::make_shared<int>(7);
    *observer = result;
    co_return result;
}

AsyncOperation<int> cancelableLeaf()
{
    co_await resumeAfter(1h);
    co_return 0;
}

AsyncOperation<int> nestedOver(int depth)
{
    if (depth == 0)
        co_return co_await cancelableLeaf();
    co_return 1 + co_await nestedOver(depth - 1);
}

// Records the stack address where the leaf resumes and where the outermost body resumes after it. A
// body's locals live in its heap frame, so the machine stack is read from the compiler: GCC and Clang
// give the frame address, MSVC the address of the return address, both on the machine stack.
#if defined(_MSC_VER) && !defined(__clang__)
#define MACHINE_STACK_ADDRESS() static_cast<const char *>(_AddressOfReturnAddress())
#else
#define MACHINE_STACK_ADDRESS() static_cast<const char *>(__builtin_frame_address(0))
#endif

struct StackMarks
{
    std::atomic<const char *> leaf{nullptr};
    std::atomic<const char *> outer{nullptr};
};

AsyncOperation<int> stackLeaf(Gate &gate, StackMarks *marks)
{
    co_await gate; // opened once every level has suspended on its inner operation
    co_await resumeBackground();
    marks->leaf = MACHINE_STACK_ADDRESS();
    co_return 0;
}

AsyncOperation<int> stackChain(int depth, Gate &gate, StackMarks *marks)
{
    if (depth == 0)
        co_return co_await stackLeaf(gate, marks);
    co_return 1 + co_await stackChain(depth - 1, gate, marks);
}

AsyncOperation<int> stackOuter(int depth, Gate &gate, StackMarks *marks)
{
    const int value = co_await stackChain(depth, gate, marks);
    marks->outer = MACHINE_STACK_ADDRESS();
    co_return value;
}

QList<quint64> makeIds(int count)
{
    QList<quint64> ids;
    for (int i = 0; i < count; ++i)
        ids << immediate(i).id();
    return ids;
}

} // namespace

class tst_AsyncOperation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A1 hot start
    void bodyRunsSynchronouslyUntilFirstSuspension_A1();
    void bodyWithoutSuspensionIsCompletedOnReturn_A1();
    void completedHandlerOfBodyWithoutSuspensionRunsInsideSetCompleted_A1();
    void droppingEveryHandleDoesNotStopBody_A1();
    void copiedHandleRefersToSameOperation_A1();

    // A2 id
    void idsAreNonZeroAndIncreasing_A2();
    void idsAreUniqueAcrossThreads_A2();

    // A3 status
    void completedCannotBeLeft_A3();
    void errorCannotBeLeft_A3();
    void canceledStaysCanceledWhenBodyUnwinds_A3();
    void canceledBodyReturningNormallyStaysCanceled_A3();
    void canceledBecomesErrorWhenBodyThrowsAfterCancel_A3();
    void bodyThrowingOperationCanceledEndsCanceled_A3();
    void frameDestroyedBeforeItsEndEndsCanceled_A3();
    void frameDestroyedAfterEveryHandleIsGoneFreesAll_A3();
    void frameWhoseParameterHoldsTheLastHandleIsFreedOnce_A3();

    // A4 cancel
    void cancelSetsCanceledAtOnce_A4();
    void cancelRunsRegisteredCallbackInsideCancel_A4();
    void cancelRunsCallbackOnCancelingThread_A4();
    void callbackRegisteredAfterCancelRunsInsideRegistration_A4();
    void cancelNeverWaitsForSuspendedBody_A4();
    void cancelAfterEndRunsNoCallback_A4();

    // A5 running vs status
    void isRunningStaysTrueAfterCancelUntilBodyUnwinds_A5();
    void bodyLocalsAreDestroyedBeforeCompletedHandler_A5();
    void canceledBodyLocalsAreDestroyedBeforeCompletedHandler_A5();

    // A6 completed handler
    void secondSetCompletedThrowsIllegalDelegateAssignment_A6();
    void nullCompletedHandlerUsesUpTheSlot_A6();
    void completedHandlerSetAfterEndRunsAtOnce_A6();
    void completedHandlerRunsOnThreadWhereBodyEnds_A6();
    void completedHandlerWithContextRunsOnContextThread_A6();
    void completedHandlerWithContextSetAfterEndIsPostedToContextThread_A6();
    void completedHandlerWithCurrentThreadContextSetAfterEndRunsAtOnce_A6();
    void completedHandlerIsDroppedWhenContextDestroyedBeforeEnd_A6();
    void postedCompletedHandlerIsDroppedWhenContextDestroyed_A6();

    // A7 progress
    void progressHandlerRunsSynchronouslyOnReportingThread_A7();
    void progressHandlerCanBeReplaced_A7();
    void progressWithContextIsDeliveredOnContextThread_A7();
    void progressWithContextIsPostedAndLatestValueWins_A7();
    void lastProgressPrecedesCompletedHandlerWhenBodyEndsOnContextThread_A7();
    void lastProgressPrecedesCompletedHandlerWhenBodyEndsOnPoolThread_A7();
    void progressReportedAfterEndIsDropped_A7();
    void progressIsNotDeliveredAfterContextIsDestroyed_A7();
    void postedProgressIsDroppedWhenContextIsDestroyed_A7();

    // A8 getResults
    void getResultsWhenCompletedReturnsResultRepeatedly_A8();
    void getResultsWhileStartedThrowsIllegalMethodCall_A8();
    void getResultsWhenCanceledThrowsOperationCanceled_A8();
    void getResultsWhenErrorRethrowsBodyException_A8();

    // A9 errorCode / errorString
    void errorCodeIsNullWhileStartedAndCompleted_A9();
    void errorCodeIsOperationCanceledWhenCanceled_A9();
    void errorCodeIsBodyExceptionWhenError_A9();

    // A10 close
    void closeWhileRunningThrowsIllegalStateChange_A10();
    void closeWhileCanceledBodyRunsThrowsIllegalStateChange_A10();
    void closeIsIdempotent_A10();
    void membersThrowIllegalMethodCallAfterClose_A10();
    void idCancelAndCloseWorkAfterClose_A10();
    void closeFreesResult_A10();
    void closeFreesProgressHandler_A10();
    void completedHandlerIsReleasedOnceItHasRun_A10();

    // A11 get / waitFor
    void getOnWorkerThreadReturnsResultAfterEnd_A11();
    void getOnWorkerThreadRethrowsError_A11();
    void waitForOnWorkerThreadReturnsStartedOnTimeout_A11();
    void waitForReturnsStartedOnTimeoutEvenAfterCancel_A11();
    void severalThreadsCanWaitForOneOperation_A11();
    void waitingLeavesCompletedSlotFree_A11();
    void getAndWaitForOnMainThreadWhileRunningThrowWrongThread_A11();
    void getAndWaitForOnMainThreadAfterEndDoNotThrow_A11();
    void waitForNeverThrowsForErrorOrCanceled_A11();

    // A12 co_await
    void awaitingYieldsResult_A12();
    void awaitingRethrowsError_A12();
    void uncaughtInnerErrorEndsOuterWithSameError_A12();
    void awaitingOperationCanceledElsewhereEndsCanceled_A12();
    void awaitingFinishedOperationDoesNotSuspend_A12();
    void awaiterResumesOnAwaitingThread_A12();
    void resumeAgileResumesOnFinishingThread_A12();
    void severalCoroutinesCanAwaitOneOperation_A12();
    void awaitingDoesNotUseCompletedSlot_A12();

    // A13 tokens
    void tokensAreObtainedWithoutSuspending_A13();
    void cancellationTokenAnswersRequest_A13();
    void cancellationTokenCopyOutlivesBody_A13();
    void stopTokenIsStoppedByCancel_A13();
    void stopTokenObtainedAfterCancelIsStopped_A13();
    void laterCallbackReplacesEarlierOne_A13();
    void nullCallbackClearsCallback_A13();
    void enablePropagationReturnsPreviousSetting_A13();

    // A14 auto-cancel
    void cancelWhileSuspendedEndsCanceled_A14();
    void everyLaterCoAwaitThrowsAfterCancel_A14();

    // A15 propagation
    void cancelReachesAwaitedOperation_A15();
    void cancelEndsAwaitedResumeAfterChainAtOnce_A15();
    void disabledPropagationLeavesAwaitedOperationRunning_A15();
    void awaitInProgressCompletesNormallyWithPropagationOff_A14();
    void cancelEndsResumeOnWaitAtOnce_A15();
    void cancelReachesTheInnermostOfTenNestedOperations_A15();
    void deepChainEndsWithoutGrowingTheStack_A15();

    // A16 scheduling
    void resumeBackgroundRunsOnPoolThread_A16();
    void resumeOnRunsOnObjectThread_A16();
    void resumeOnObjectOfCurrentThreadDoesNotSuspend_A16();
    void resumeOnObjectDestroyedBeforeResumptionEndsCanceled_A16();
    void resumeOnNullObjectEndsCanceled_A16();
    void resumeAfterResumesLaterOnCurrentThread_A16();
    void resumeAfterZeroDoesNotSuspend_A16();
    void resumeAfterWithoutEventLoopResumesOnPoolThread_A16();
    void cancelEndsResumeAfterAtOnce_A16();
    void resumeAfterOnThreadWithoutQtEventLoopResumesOnPool_A16();
    void canceledResumeAfterStopsAndFreesItsTimer_A15();
    void resumeBackgroundDefaultsToOwnPoolNotGlobal_A16();
    void saturatedOwnPoolLeavesGlobalPoolAndGuiThreadFree_A16();
    void setThreadPoolReplacesTheDefaultPool_A16();

    // A18 threads
    void concurrentCancelsRunCallbackOnce_A18();

    // A19 faults in handlers
    void throwingCompletedHandlerGoesToUnhandledErrorHandler_A19();
    void throwingProgressHandlerGoesToUnhandledErrorHandler_A19();
    void throwingCancellationCallbackGoesToUnhandledErrorHandler_A19();

    // A20 errors
    void emptyHandleThrowsIllegalMethodCall_A20();
    void cancelOnEmptyHandleThrowsIllegalMethodCall_A20();
    void wrongThreadMessageNamesTheStatus_A20();
    void illegalMethodCallNamesCallAndState_A20();
    void illegalDelegateAssignmentNamesCall_A20();
    void illegalStateChangeNamesCallAndState_A20();
    void wrongThreadNamesCall_A20();
    void operationCanceledHasMessage_A20();
};

// ---------------------------------------------------------------------------------------------- A1

void tst_AsyncOperation::bodyRunsSynchronouslyUntilFirstSuspension_A1()
{
    Gate gate;
    int step = 0;
    bool localDestroyed = false;
    const AsyncAction op = stepsAround(gate, &step, &localDestroyed);
    QCOMPARE(step, 1);
    QVERIFY(gate.isWaiting());
    QCOMPARE(op.status(), AsyncStatus::Started);
    QVERIFY(op.isRunning());

    gate.open();
    QCOMPARE(step, 2);
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_AsyncOperation::bodyWithoutSuspensionIsCompletedOnReturn_A1()
{
    const AsyncOperation<int> op = immediate(42);
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(!op.isRunning());
    QCOMPARE(op.getResults(), 42);
}

void tst_AsyncOperation::completedHandlerOfBodyWithoutSuspensionRunsInsideSetCompleted_A1()
{
    const AsyncOperation<int> op = immediate(5);
    int calls = 0;
    AsyncStatus seen = AsyncStatus::Started;
    QThread *thread = nullptr;
    op.setCompleted([&](const AsyncOperation<int> &done, AsyncStatus status) {
        ++calls;
        seen = status;
        thread = QThread::currentThread();
        QVERIFY(done == op);
    });
    QCOMPARE(calls, 1);
    QCOMPARE(seen, AsyncStatus::Completed);
    QCOMPARE(thread, QThread::currentThread());
}

void tst_AsyncOperation::droppingEveryHandleDoesNotStopBody_A1()
{
    Gate gate;
    int step = 0;
    bool localDestroyed = false;
    (void)stepsAround(gate, &step, &localDestroyed); // every handle is gone here
    QCOMPARE(step, 1);
    QVERIFY(!localDestroyed);

    gate.open();
    QCOMPARE(step, 2);
    QVERIFY(localDestroyed); // the frame was freed at the end (ASan reports it otherwise)
}

void tst_AsyncOperation::copiedHandleRefersToSameOperation_A1()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    const AsyncOperation<int> copy = op;
    const AsyncAction view = op;
    QVERIFY(copy == op);
    QCOMPARE(view.id(), op.id());
    QVERIFY(!(op == immediate(1)));

    copy.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(view.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(!op.isRunning());
}

// ---------------------------------------------------------------------------------------------- A2

void tst_AsyncOperation::idsAreNonZeroAndIncreasing_A2()
{
    const QList<quint64> ids = makeIds(50);
    QVERIFY(ids.first() != 0);
    for (qsizetype i = 1; i < ids.size(); ++i)
        QVERIFY2(ids[i] > ids[i - 1],
                 qPrintable(QStringLiteral("id %1 after %2").arg(ids[i]).arg(ids[i - 1])));
}

void tst_AsyncOperation::idsAreUniqueAcrossThreads_A2()
{
    constexpr int perThread = 500;
    QList<quint64> a;
    QList<quint64> b;
    Worker first([&a] { a = makeIds(perThread); });
    Worker second([&b] { b = makeIds(perThread); });
    QList<quint64> mine = makeIds(perThread);
    QVERIFY(first.join());
    QVERIFY(second.join());

    std::set<quint64> unique;
    for (const QList<quint64> *list : {&a, &b, &mine}) {
        QCOMPARE(list->size(), perThread);
        for (quint64 id : *list) {
            QVERIFY(id != 0);
            unique.insert(id);
        }
    }
    QCOMPARE(unique.size(), size_t(3 * perThread));
}

// ---------------------------------------------------------------------------------------------- A3

void tst_AsyncOperation::completedCannotBeLeft_A3()
{
    const AsyncOperation<int> op = immediate(1);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(!op.errorCode());
    QCOMPARE(op.getResults(), 1);
}

void tst_AsyncOperation::errorCannotBeLeft_A3()
{
    const AsyncOperation<int> op = failImmediately("broken");
    QCOMPARE(op.status(), AsyncStatus::Error);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Error);
    QCOMPARE(op.errorString(), QStringLiteral("broken"));
}

void tst_AsyncOperation::canceledStaysCanceledWhenBodyUnwinds_A3()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(!op.isRunning());
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::canceledBodyReturningNormallyStaysCanceled_A3()
{
    Gate gate;
    const AsyncOperation<int> op = returnAfterCancel(gate, 9);
    op.cancel();
    gate.open(); // the body swallows the cancellation and co_returns 9
    QVERIFY(!op.isRunning());
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(thrown([&] { (void)op.getResults(); }), QStringLiteral("OperationCanceled"));
}

void tst_AsyncOperation::canceledBecomesErrorWhenBodyThrowsAfterCancel_A3()
{
    Gate gate;
    const AsyncAction op = throwAfterCancel(gate, "cleanup failed");
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(!op.isRunning());
    QCOMPARE(op.status(), AsyncStatus::Error);
    QCOMPARE(op.errorString(), QStringLiteral("cleanup failed"));
    QCOMPARE(thrown([&] { op.getResults(); }), QStringLiteral("TestError: cleanup failed"));
}

void tst_AsyncOperation::bodyThrowingOperationCanceledEndsCanceled_A3()
{
    const AsyncAction op = throwCanceledItself();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QVERIFY(!op.isRunning());
    QCOMPARE(op.errorString(), QStringLiteral("the body gave up"));
}

void tst_AsyncOperation::frameDestroyedBeforeItsEndEndsCanceled_A3()
{
    std::coroutine_handle<> parked;
    auto parameter = std::make_shared<int>(3);
    const std::weak_ptr<int> observer = parameter;
    const AsyncOperation<int> op = parkedBody(&parked, std::move(parameter));
    AsyncStatus seen = AsyncStatus::Started;
    op.setCompleted([&](const AsyncOperation<int> &, AsyncStatus status) { seen = status; });
    QVERIFY(op.isRunning());
    parked.destroy(); // not CommandKit's doing: the operation must still end, and end once
    QCOMPARE(seen, AsyncStatus::Canceled);
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QVERIFY(!op.isRunning());
    QVERIFY(observer.expired()); // the frame's parameters are gone with it
    bool threw = false;
    try {
        (void)op.getResults();
    } catch (const OperationCanceled &) {
        threw = true;
    }
    QVERIFY(threw);
}

void tst_AsyncOperation::frameWhoseParameterHoldsTheLastHandleIsFreedOnce_A3()
{
    // The last handle goes with the frame's own parameter, after the promise: the state, which lives in
    // the frame's block, and the block are freed exactly once, when nothing of the frame is left
    // (AddressSanitizer checks the rest).
    std::coroutine_handle<> parked;
    auto holder = std::make_shared<HandleHolder>();
    const std::weak_ptr<HandleHolder> observer = holder;
    holder->operation = parkedHoldingItsHandle(&parked, holder);
    QVERIFY(holder->operation.isRunning());
    holder.reset(); // the frame's parameter is the last owner of the holder, and so of the handle
    QVERIFY(!observer.expired());
    parked.destroy();
    QVERIFY(observer.expired());
}

void tst_AsyncOperation::frameDestroyedAfterEveryHandleIsGoneFreesAll_A3()
{
    // The frame holds the last reference to a state that lives in the frame's own block: destroying
    // the frame must free the block exactly once (AddressSanitizer checks the rest).
    std::coroutine_handle<> parked;
    auto parameter = std::make_shared<int>(4);
    const std::weak_ptr<int> observer = parameter;
    AsyncStatus seen = AsyncStatus::Started;
    {
        const AsyncOperation<int> op = parkedBody(&parked, std::move(parameter));
        op.setCompleted([&](const AsyncOperation<int> &, AsyncStatus status) { seen = status; });
    }
    QCOMPARE(seen, AsyncStatus::Started);
    parked.destroy();
    QCOMPARE(seen, AsyncStatus::Canceled);
    QVERIFY(observer.expired());
}

// ---------------------------------------------------------------------------------------------- A4

void tst_AsyncOperation::cancelSetsCanceledAtOnce_A4()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    QCOMPARE(op.status(), AsyncStatus::Started);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled); // no event processed, the body has not resumed
    QVERIFY(gate.isWaiting());
    gate.open();
}

void tst_AsyncOperation::cancelRunsRegisteredCallbackInsideCancel_A4()
{
    Gate gate;
    int calls = 0;
    QThread *thread = nullptr;
    const AsyncAction op = callbackThenWait(gate, [&] {
        ++calls;
        thread = QThread::currentThread();
    });
    QCOMPARE(calls, 0);
    op.cancel();
    QCOMPARE(calls, 1);
    QCOMPARE(thread, QThread::currentThread());
    op.cancel(); // a no-op unless Started
    QCOMPARE(calls, 1);
    gate.open();
    QCOMPARE(calls, 1);
}

void tst_AsyncOperation::cancelRunsCallbackOnCancelingThread_A4()
{
    Gate gate;
    std::atomic<QThread *> callbackThread{nullptr};
    const AsyncAction op = callbackThenWait(gate, [&] { callbackThread = QThread::currentThread(); });
    std::atomic<bool> ranBeforeReturn{false};
    Worker canceler([&] {
        op.cancel();
        ranBeforeReturn = callbackThread.load() == QThread::currentThread();
    });
    QVERIFY(canceler.join());
    QVERIFY(ranBeforeReturn);
    QCOMPARE(callbackThread.load(), canceler.thread());
    gate.open();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::callbackRegisteredAfterCancelRunsInsideRegistration_A4()
{
    Gate gate;
    bool ranInsideCallback = false;
    const AsyncAction op = callbackAfterCancel(gate, &ranInsideCallback);
    op.cancel();
    gate.open();
    QVERIFY(!op.isRunning());
    QVERIFY(ranInsideCallback);
}

void tst_AsyncOperation::cancelNeverWaitsForSuspendedBody_A4()
{
    Gate gate;
    bool after = false;
    const AsyncAction op = markAfter(gate, &after);
    op.cancel(); // would hang here if cancel() waited for the body
    QVERIFY(op.isRunning());
    QVERIFY(gate.isWaiting());
    QVERIFY(!after);
    gate.open();
    QVERIFY(!op.isRunning());
}

void tst_AsyncOperation::cancelAfterEndRunsNoCallback_A4()
{
    Gate gate;
    int calls = 0;
    const AsyncAction op = callbackThenWait(gate, [&] { ++calls; });
    gate.open();
    QCOMPARE(op.status(), AsyncStatus::Completed);
    op.cancel();
    QCOMPARE(calls, 0);
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

// ---------------------------------------------------------------------------------------------- A5

void tst_AsyncOperation::isRunningStaysTrueAfterCancelUntilBodyUnwinds_A5()
{
    Gate gate;
    int step = 0;
    bool localDestroyed = false;
    const AsyncAction op = stepsAround(gate, &step, &localDestroyed);
    op.cancel();
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QVERIFY(op.isRunning());
    QVERIFY(!localDestroyed);

    gate.open();
    QVERIFY(localDestroyed);
    QVERIFY(!op.isRunning());
}

void tst_AsyncOperation::bodyLocalsAreDestroyedBeforeCompletedHandler_A5()
{
    Gate gate;
    int step = 0;
    bool localDestroyed = false;
    const AsyncAction op = stepsAround(gate, &step, &localDestroyed);
    std::optional<bool> destroyedInHandler;
    std::optional<bool> runningInHandler;
    op.setCompleted([&](const AsyncAction &done, AsyncStatus) {
        destroyedInHandler = localDestroyed;
        runningInHandler = done.isRunning();
    });
    gate.open();
    QVERIFY(destroyedInHandler.has_value());
    QCOMPARE(*destroyedInHandler, true);
    QVERIFY(runningInHandler.has_value());
    QCOMPARE(*runningInHandler, false);
}

void tst_AsyncOperation::canceledBodyLocalsAreDestroyedBeforeCompletedHandler_A5()
{
    Gate gate;
    int step = 0;
    bool localDestroyed = false;
    const AsyncAction op = stepsAround(gate, &step, &localDestroyed);
    std::optional<bool> destroyedInHandler;
    AsyncStatus seen = AsyncStatus::Started;
    op.setCompleted([&](const AsyncAction &, AsyncStatus status) {
        destroyedInHandler = localDestroyed;
        seen = status;
    });
    op.cancel();
    QVERIFY(!destroyedInHandler); // Canceled at once, but the handler waits for the body's end
    gate.open();
    QVERIFY(destroyedInHandler.has_value());
    QCOMPARE(*destroyedInHandler, true);
    QCOMPARE(seen, AsyncStatus::Canceled);
}

// ---------------------------------------------------------------------------------------------- A6

void tst_AsyncOperation::secondSetCompletedThrowsIllegalDelegateAssignment_A6()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    int first = 0;
    int second = 0;
    op.setCompleted([&](const AsyncAction &, AsyncStatus) { ++first; });
    QCOMPARE(thrown([&] { op.setCompleted([&](const AsyncAction &, AsyncStatus) { ++second; }); }),
             QStringLiteral("AsyncError::IllegalDelegateAssignment"));
    gate.open();
    QCOMPARE(first, 1);
    QCOMPARE(second, 0);
    // Also after the end.
    QCOMPARE(thrown([&] { op.setCompleted([&](const AsyncAction &, AsyncStatus) { ++second; }); }),
             QStringLiteral("AsyncError::IllegalDelegateAssignment"));
    QCOMPARE(second, 0);
}

void tst_AsyncOperation::nullCompletedHandlerUsesUpTheSlot_A6()
{
    const AsyncAction op = immediate(1);
    op.setCompleted(nullptr);
    QCOMPARE(thrown([&] { op.setCompleted([](const AsyncAction &, AsyncStatus) {}); }),
             QStringLiteral("AsyncError::IllegalDelegateAssignment"));
}

void tst_AsyncOperation::completedHandlerSetAfterEndRunsAtOnce_A6()
{
    Gate gate;
    const AsyncOperation<int> op = failAfter(gate, "late");
    gate.open();
    QCOMPARE(op.status(), AsyncStatus::Error);
    int calls = 0;
    AsyncStatus seen = AsyncStatus::Started;
    op.setCompleted([&](const AsyncOperation<int> &, AsyncStatus status) {
        ++calls;
        seen = status;
    });
    QCOMPARE(calls, 1);
    QCOMPARE(seen, AsyncStatus::Error);
}

void tst_AsyncOperation::completedHandlerRunsOnThreadWhereBodyEnds_A6()
{
    Gate gate;
    QThread *bodyThread = nullptr;
    const AsyncOperation<int> op = valueFromPool(gate, 3, &bodyThread);
    std::atomic<QThread *> handlerThread{nullptr};
    op.setCompleted(
        [&](const AsyncOperation<int> &, AsyncStatus) { handlerThread = QThread::currentThread(); });
    gate.open();
    QVERIFY(Testing::wait(op));
    QTRY_VERIFY_WITH_TIMEOUT(handlerThread.load() != nullptr, 5000);
    QVERIFY(bodyThread != QThread::currentThread());
    QCOMPARE(handlerThread.load(), bodyThread);
}

void tst_AsyncOperation::completedHandlerWithContextRunsOnContextThread_A6()
{
    WorkerThread worker;
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 4);
    std::atomic<QThread *> handlerThread{nullptr};
    std::atomic<int> seenValue{0};
    op.setCompleted(worker.context(), [&](const AsyncOperation<int> &done, AsyncStatus) {
        seenValue = done.getResults();
        handlerThread = QThread::currentThread();
    });
    gate.open(); // the body ends on this (the main) thread
    QTRY_VERIFY_WITH_TIMEOUT(handlerThread.load() != nullptr, 5000);
    QCOMPARE(handlerThread.load(), worker.thread());
    QCOMPARE(seenValue.load(), 4);
}

void tst_AsyncOperation::completedHandlerWithContextSetAfterEndIsPostedToContextThread_A6()
{
    WorkerThread worker;
    const AsyncOperation<int> op = immediate(8);
    std::atomic<QThread *> handlerThread{nullptr};
    op.setCompleted(worker.context(), [&](const AsyncOperation<int> &, AsyncStatus) {
        handlerThread = QThread::currentThread();
    });
    QTRY_VERIFY_WITH_TIMEOUT(handlerThread.load() != nullptr, 5000);
    QCOMPARE(handlerThread.load(), worker.thread());
}

void tst_AsyncOperation::completedHandlerWithCurrentThreadContextSetAfterEndRunsAtOnce_A6()
{
    QObject context;
    const AsyncOperation<int> op = immediate(8);
    int calls = 0;
    op.setCompleted(&context, [&](const AsyncOperation<int> &, AsyncStatus) { ++calls; });
    QCOMPARE(calls, 1);
}

void tst_AsyncOperation::completedHandlerIsDroppedWhenContextDestroyedBeforeEnd_A6()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    int calls = 0;
    auto *context = new QObject;
    op.setCompleted(context, [&](const AsyncAction &, AsyncStatus) { ++calls; });
    delete context;
    gate.open();
    QVERIFY(!op.isRunning());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_AsyncOperation::postedCompletedHandlerIsDroppedWhenContextDestroyed_A6()
{
    Gate gate;
    QThread *bodyThread = nullptr;
    const AsyncOperation<int> op = valueFromPool(gate, 3, &bodyThread);
    int calls = 0;
    auto *context = new QObject;
    op.setCompleted(context, [&](const AsyncOperation<int> &, AsyncStatus) { ++calls; });
    gate.open(); // the body hops to the pool and ends there: the handler is posted to this thread
    // Join without processing this thread's events, so the posted handler stays queued.
    Worker waiter([op] { (void)op.waitFor(5s); });
    QVERIFY(waiter.join());
    QVERIFY(!op.isRunning());
    QCOMPARE(calls, 0);
    delete context;
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

// ---------------------------------------------------------------------------------------------- A7

void tst_AsyncOperation::progressHandlerRunsSynchronouslyOnReportingThread_A7()
{
    Gate gate;
    const AsyncActionWithProgress<int> op = reportAfter(gate, {1, 2, 3});
    QList<int> values;
    QList<QThread *> threads;
    op.setProgress([&](const AsyncActionWithProgress<int> &from, const int &value) {
        QVERIFY(from == op);
        values << value;
        threads << QThread::currentThread();
    });
    gate.open();
    QCOMPARE(values, QList<int>({1, 2, 3}));
    QCOMPARE(threads, QList<QThread *>(3, QThread::currentThread()));
}

void tst_AsyncOperation::progressHandlerCanBeReplaced_A7()
{
    Gate first;
    Gate second;
    const AsyncActionWithProgress<int> op = reportInTwoBatches(first, 1, second, 2);
    QList<int> old;
    op.setProgress([&](const AsyncActionWithProgress<int> &, const int &value) { old << value; });
    first.open();
    QCOMPARE(old, QList<int>({1}));

    QList<int> replacement;
    op.setProgress([&](const AsyncActionWithProgress<int> &, const int &value) { replacement << value; });
    op.setProgress(
        [&](const AsyncActionWithProgress<int> &, const int &value) { replacement << value * 10; });
    second.open();
    QCOMPARE(old, QList<int>({1}));
    QCOMPARE(replacement, QList<int>({20}));
    QVERIFY(!op.isRunning());
}

void tst_AsyncOperation::progressWithContextIsDeliveredOnContextThread_A7()
{
    WorkerThread worker;
    Gate first;
    Gate second;
    const AsyncActionWithProgress<int> op = reportBetween(first, {5}, second);
    std::atomic<QThread *> handlerThread{nullptr};
    std::atomic<int> value{0};
    op.setProgress(worker.context(), [&](const AsyncActionWithProgress<int> &, const int &v) {
        value = v;
        handlerThread = QThread::currentThread();
    });
    first.open();
    QTRY_VERIFY_WITH_TIMEOUT(handlerThread.load() != nullptr, 5000);
    QCOMPARE(handlerThread.load(), worker.thread());
    QCOMPARE(value.load(), 5);
    second.open();
}

void tst_AsyncOperation::progressWithContextIsPostedAndLatestValueWins_A7()
{
    QObject context;
    Gate first;
    Gate second;
    QList<int> reports;
    for (int i = 1; i <= 100; ++i)
        reports << i;
    const AsyncActionWithProgress<int> op = reportBetween(first, reports, second);
    QList<int> delivered;
    op.setProgress(&context, [&](const AsyncActionWithProgress<int> &, const int &v) { delivered << v; });
    first.open();                      // 100 reports on this thread, without processing events
    QCOMPARE(delivered, QList<int>()); // posted, never re-entered into the reporter
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(delivered, QList<int>({100}));
    second.open();
}

void tst_AsyncOperation::lastProgressPrecedesCompletedHandlerWhenBodyEndsOnContextThread_A7()
{
    QObject context;
    Gate gate;
    const AsyncActionWithProgress<int> op = reportAfter(gate, {1, 2, 3});
    QStringList log;
    op.setProgress(&context, [&](const AsyncActionWithProgress<int> &, const int &v) {
        log << QStringLiteral("progress %1").arg(v);
    });
    op.setCompleted(&context, [&](const AsyncActionWithProgress<int> &, AsyncStatus) {
        log << QStringLiteral("completed");
    });
    gate.open(); // reports and ends on the context's thread
    QTRY_VERIFY_WITH_TIMEOUT(log.contains(QStringLiteral("completed")), 5000);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(log, QStringList({QStringLiteral("progress 3"), QStringLiteral("completed")}));
}

void tst_AsyncOperation::lastProgressPrecedesCompletedHandlerWhenBodyEndsOnPoolThread_A7()
{
    QObject context;
    Gate gate;
    const AsyncActionWithProgress<int> op = reportOnPool(gate, {1, 2, 3});
    QStringList log;
    op.setProgress(&context, [&](const AsyncActionWithProgress<int> &, const int &v) {
        log << QStringLiteral("progress %1").arg(v);
    });
    op.setCompleted(&context, [&](const AsyncActionWithProgress<int> &, AsyncStatus) {
        log << QStringLiteral("completed");
    });
    gate.open();
    QVERIFY(Testing::wait(op));
    QTRY_VERIFY_WITH_TIMEOUT(log.contains(QStringLiteral("completed")), 5000);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    // How many intermediate values arrive depends on timing; the last one and the order do not.
    QVERIFY2(log.size() >= 2, qPrintable(log.join(QLatin1String(", "))));
    QCOMPARE(log.last(), QStringLiteral("completed"));
    QCOMPARE(log.at(log.size() - 2), QStringLiteral("progress 3"));
    QCOMPARE(log.count(QStringLiteral("completed")), 1);
}

void tst_AsyncOperation::progressReportedAfterEndIsDropped_A7()
{
    std::optional<ProgressToken<int>> token;
    const AsyncActionWithProgress<int> op = keepProgressToken(&token);
    QVERIFY(!op.isRunning());
    QVERIFY(token.has_value());
    QList<int> values;
    op.setProgress([&](const AsyncActionWithProgress<int> &, const int &v) { values << v; });
    (*token)(1); // the copy outlives the body: safe, and dropped
    QCOMPARE(values, QList<int>());
}

// ---------------------------------------------------------------------------------------------- A8

void tst_AsyncOperation::progressIsNotDeliveredAfterContextIsDestroyed_A7()
{
    Gate gate;
    const AsyncActionWithProgress<int> op = reportAfter(gate, {1, 2});
    int calls = 0;
    auto *context = new QObject;
    op.setProgress(context, [&calls](const AsyncActionWithProgress<int> &, const int &) { ++calls; });
    delete context;
    gate.open();
    QVERIFY(Testing::wait(op));
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_AsyncOperation::postedProgressIsDroppedWhenContextIsDestroyed_A7()
{
    Gate first;
    Gate second;
    const AsyncActionWithProgress<int> op = reportBetween(first, {1}, second);
    int calls = 0;
    auto *context = new QObject;
    op.setProgress(context, [&calls](const AsyncActionWithProgress<int> &, const int &) { ++calls; });
    first.open(); // reports 1: a delivery is posted to the context; the body waits at the second gate
    QVERIFY(op.isRunning());
    delete context; // before the event loop delivered it
    QCoreApplication::processEvents();
    second.open();
    QVERIFY(Testing::wait(op));
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_AsyncOperation::getResultsWhenCompletedReturnsResultRepeatedly_A8()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 17);
    gate.open();
    QCOMPARE(op.getResults(), 17);
    QCOMPARE(op.getResults(), 17);
}

void tst_AsyncOperation::getResultsWhileStartedThrowsIllegalMethodCall_A8()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 17);
    QCOMPARE(thrown([&] { (void)op.getResults(); }), QStringLiteral("AsyncError::IllegalMethodCall"));
    gate.open();
}

void tst_AsyncOperation::getResultsWhenCanceledThrowsOperationCanceled_A8()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 17);
    op.cancel();
    QCOMPARE(thrown([&] { (void)op.getResults(); }), QStringLiteral("OperationCanceled"));
    gate.open();
    QCOMPARE(thrown([&] { (void)op.getResults(); }), QStringLiteral("OperationCanceled"));
}

void tst_AsyncOperation::getResultsWhenErrorRethrowsBodyException_A8()
{
    Gate gate;
    const AsyncOperation<int> op = failAfter(gate, "disk full");
    gate.open();
    const TestError *first = nullptr;
    try {
        (void)op.getResults();
        QFAIL("getResults() returned");
    } catch (const TestError &e) {
        QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("disk full"));
        first = &e;
    }
    try {
        (void)op.getResults();
        QFAIL("getResults() returned");
    } catch (const TestError &e) {
        QCOMPARE(&e, first); // the body's own exception object, not a copy
    }
}

// ---------------------------------------------------------------------------------------------- A9

void tst_AsyncOperation::errorCodeIsNullWhileStartedAndCompleted_A9()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    QVERIFY(!op.errorCode());
    QVERIFY(op.errorString().isEmpty());
    gate.open();
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(!op.errorCode());
    QVERIFY(op.errorString().isEmpty());
}

void tst_AsyncOperation::errorCodeIsOperationCanceledWhenCanceled_A9()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    op.cancel();
    QVERIFY(isCancellation(op.errorCode()));
    QVERIFY(!op.errorString().isEmpty());
    QCOMPARE(op.errorString(), errorMessage(op.errorCode()));
    gate.open();
    QVERIFY(isCancellation(op.errorCode()));
}

void tst_AsyncOperation::errorCodeIsBodyExceptionWhenError_A9()
{
    const AsyncOperation<int> op = failImmediately("no network");
    const std::exception_ptr error = op.errorCode();
    QVERIFY(error);
    QVERIFY(!isCancellation(error));
    QCOMPARE(thrown([&] { std::rethrow_exception(error); }), QStringLiteral("TestError: no network"));
    QCOMPARE(op.errorString(), QStringLiteral("no network"));
}

// --------------------------------------------------------------------------------------------- A10

void tst_AsyncOperation::closeWhileRunningThrowsIllegalStateChange_A10()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("AsyncError::IllegalStateChange"));
    gate.open();
    QCOMPARE(op.getResults(), 1); // the failed close() changed nothing
}

void tst_AsyncOperation::closeWhileCanceledBodyRunsThrowsIllegalStateChange_A10()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    op.cancel();
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("AsyncError::IllegalStateChange"));
    gate.open();
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("nothing"));
}

void tst_AsyncOperation::closeIsIdempotent_A10()
{
    const AsyncOperation<int> op = immediate(1);
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("nothing"));
}

void tst_AsyncOperation::membersThrowIllegalMethodCallAfterClose_A10()
{
    const AsyncOperationWithProgress<int, int> op = []() -> AsyncOperationWithProgress<int, int> {
        co_return 1;
    }();
    op.close();
    const QString illegal = QStringLiteral("AsyncError::IllegalMethodCall");
    QCOMPARE(thrown([&] { (void)op.status(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.isRunning(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.errorCode(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.errorString(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.getResults(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.get(); }), illegal);
    QCOMPARE(thrown([&] { (void)op.waitFor(0ms); }), illegal);
    QCOMPARE(thrown([&] { op.setCompleted([](const auto &, AsyncStatus) {}); }), illegal);
    QObject context;
    QCOMPARE(thrown([&] { op.setCompleted(&context, [](const auto &, AsyncStatus) {}); }), illegal);
    QCOMPARE(thrown([&] { op.setProgress([](const auto &, const int &) {}); }), illegal);
    QCOMPARE(thrown([&] { op.setProgress(&context, [](const auto &, const int &) {}); }), illegal);
    // co_await of a closed operation throws inside the awaiting body.
    const AsyncOperation<int> outer = [](AsyncOperationWithProgress<int, int> inner) -> AsyncOperation<int> {
        co_return co_await inner;
    }(op);
    QCOMPARE(outer.status(), AsyncStatus::Error);
    QCOMPARE(thrown([&] { (void)outer.getResults(); }), illegal);
}

void tst_AsyncOperation::idCancelAndCloseWorkAfterClose_A10()
{
    const AsyncOperation<int> op = immediate(1);
    const quint64 id = op.id();
    op.close();
    quint64 seen = 0;
    QCOMPARE(thrown([&] { seen = op.id(); }), QStringLiteral("nothing"));
    QCOMPARE(seen, id);
    QCOMPARE(thrown([&] { op.cancel(); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { op.close(); }), QStringLiteral("nothing"));
}

void tst_AsyncOperation::closeFreesResult_A10()
{
    std::weak_ptr<int> observer;
    const AsyncOperation<std::shared_ptr<int>> op = sharedResult(&observer);
    QCOMPARE(*op.getResults(), 7);
    QVERIFY(!observer.expired()); // held by the operation
    op.close();
    QVERIFY(observer.expired());
}

void tst_AsyncOperation::completedHandlerIsReleasedOnceItHasRun_A10()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    auto captured = std::make_shared<int>(0);
    const std::weak_ptr<int> observer = captured;
    op.setCompleted([captured](const AsyncOperation<int> &, AsyncStatus) { ++*captured; });
    captured.reset();
    QVERIFY(!observer.expired());
    gate.open();
    QVERIFY(!op.isRunning());
    QVERIFY(observer.expired()); // the handler ran and was freed; close() has nothing left to hold
    op.close();
}

void tst_AsyncOperation::closeFreesProgressHandler_A10()
{
    std::optional<ProgressToken<int>> token;
    const AsyncActionWithProgress<int> op = keepProgressToken(&token);
    auto captured = std::make_shared<int>(1);
    std::weak_ptr<int> observer = captured;
    op.setProgress([captured](const AsyncActionWithProgress<int> &, const int &) {});
    captured.reset();
    QVERIFY(!observer.expired()); // held by the handler
    op.close();
    QVERIFY(observer.expired());
}

// --------------------------------------------------------------------------------------------- A11

void tst_AsyncOperation::getOnWorkerThreadReturnsResultAfterEnd_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 42);
    std::atomic<bool> aboutToWait{false};
    std::atomic<int> result{-1};
    QString failure;
    Worker worker([&] {
        aboutToWait = true;
        try {
            result = op.get();
        } catch (const std::exception &e) {
            failure = QString::fromUtf8(e.what());
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(aboutToWait.load(), 5000);
    QCOMPARE(result.load(), -1); // the gate is still closed: get() cannot have returned
    gate.open();
    QVERIFY(worker.join());
    QCOMPARE(failure, QString());
    QCOMPARE(result.load(), 42);
}

void tst_AsyncOperation::getOnWorkerThreadRethrowsError_A11()
{
    Gate gate;
    const AsyncOperation<int> op = failAfter(gate, "worker sees this");
    QString outcome;
    Worker worker([&] { outcome = thrown([&] { (void)op.get(); }); });
    gate.open();
    QVERIFY(worker.join());
    QCOMPARE(outcome, QStringLiteral("TestError: worker sees this"));
}

void tst_AsyncOperation::waitForOnWorkerThreadReturnsStartedOnTimeout_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    std::optional<AsyncStatus> status;
    Worker worker([&] { status = op.waitFor(10ms); });
    QVERIFY(worker.join());
    QVERIFY(status.has_value());
    QCOMPARE(*status, AsyncStatus::Started);
    gate.open();
}

void tst_AsyncOperation::waitForReturnsStartedOnTimeoutEvenAfterCancel_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    op.cancel();
    std::optional<AsyncStatus> status;
    Worker worker([&] { status = op.waitFor(10ms); });
    QVERIFY(worker.join());
    QVERIFY(status.has_value());
    QCOMPARE(*status, AsyncStatus::Started); // "not ended yet"
    gate.open();
    Worker again([&] { status = op.waitFor(5s); });
    QVERIFY(again.join());
    QVERIFY(status.has_value());
    QCOMPARE(*status, AsyncStatus::Canceled);
}

void tst_AsyncOperation::severalThreadsCanWaitForOneOperation_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 6);
    std::atomic<int> ready{0};
    std::atomic<int> sum{0};
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < 3; ++i) {
        workers.push_back(std::make_unique<Worker>([&] {
            ++ready;
            sum += op.get();
        }));
    }
    QTRY_COMPARE_WITH_TIMEOUT(ready.load(), 3, 5000);
    gate.open();
    for (auto &worker : workers)
        QVERIFY(worker->join());
    QCOMPARE(sum.load(), 18);
}

void tst_AsyncOperation::waitingLeavesCompletedSlotFree_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 6);
    Worker worker([&] { (void)op.waitFor(5s); });
    gate.open();
    QVERIFY(worker.join());
    int calls = 0;
    QCOMPARE(thrown([&] { op.setCompleted([&](const AsyncOperation<int> &, AsyncStatus) { ++calls; }); }),
             QStringLiteral("nothing"));
    QCOMPARE(calls, 1);
}

void tst_AsyncOperation::getAndWaitForOnMainThreadWhileRunningThrowWrongThread_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    QCOMPARE(thrown([&] { (void)op.get(); }), QStringLiteral("AsyncError::WrongThread"));
    QCOMPARE(thrown([&] { (void)op.waitFor(1ms); }), QStringLiteral("AsyncError::WrongThread"));
    op.cancel(); // still running: still refused
    QCOMPARE(thrown([&] { (void)op.waitFor(1ms); }), QStringLiteral("AsyncError::WrongThread"));
    gate.open();
}

void tst_AsyncOperation::getAndWaitForOnMainThreadAfterEndDoNotThrow_A11()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 12);
    gate.open();
    QCOMPARE(op.get(), 12);
    QCOMPARE(op.waitFor(0ms), AsyncStatus::Completed);
}

void tst_AsyncOperation::waitForNeverThrowsForErrorOrCanceled_A11()
{
    const AsyncOperation<int> failed = failImmediately("x");
    Gate gate;
    const AsyncOperation<int> canceled = valueAfter(gate, 1);
    canceled.cancel();
    gate.open();
    std::optional<AsyncStatus> failedStatus;
    std::optional<AsyncStatus> canceledStatus;
    QCOMPARE(thrown([&] { failedStatus = failed.waitFor(1s); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { canceledStatus = canceled.waitFor(1s); }), QStringLiteral("nothing"));
    QVERIFY(failedStatus.has_value());
    QCOMPARE(*failedStatus, AsyncStatus::Error);
    QVERIFY(canceledStatus.has_value());
    QCOMPARE(*canceledStatus, AsyncStatus::Canceled);
}

// --------------------------------------------------------------------------------------------- A12

void tst_AsyncOperation::awaitingYieldsResult_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 20);
    const AsyncOperation<int> outer = awaitValue(inner, nullptr);
    QVERIFY(outer.isRunning());
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.getResults(), 21);
}

void tst_AsyncOperation::awaitingRethrowsError_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = failAfter(gate, "inner failed");
    const AsyncOperation<QString> outer = catchInner(inner);
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.getResults(), QStringLiteral("inner failed"));
}

void tst_AsyncOperation::uncaughtInnerErrorEndsOuterWithSameError_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = failAfter(gate, "inner failed");
    const AsyncOperation<int> outer = awaitValue(inner, nullptr);
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.status(), AsyncStatus::Error);
    QCOMPARE(thrown([&] { (void)outer.getResults(); }), QStringLiteral("TestError: inner failed"));
}

void tst_AsyncOperation::awaitingOperationCanceledElsewhereEndsCanceled_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 1);
    const AsyncOperation<int> outer = awaitValue(inner, nullptr);
    inner.cancel();
    QCOMPARE(outer.status(), AsyncStatus::Started); // only the inner one was canceled
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::awaitingFinishedOperationDoesNotSuspend_A12()
{
    QThread *resumedOn = nullptr;
    const AsyncOperation<int> outer = awaitValue(immediate(2), &resumedOn);
    QCOMPARE(outer.status(), AsyncStatus::Completed); // ended before the call returned
    QCOMPARE(outer.getResults(), 3);
    QCOMPARE(resumedOn, QThread::currentThread());
}

void tst_AsyncOperation::awaiterResumesOnAwaitingThread_A12()
{
    Gate gate;
    QThread *innerThread = nullptr;
    QThread *outerThread = nullptr;
    const AsyncOperation<int> inner = valueFromPool(gate, 4, &innerThread);
    const AsyncOperation<int> outer = awaitValue(inner, &outerThread);
    gate.open(); // the inner body hops to the pool and ends there
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.getResults(), 5);
    QVERIFY(innerThread != QThread::currentThread());
    QCOMPARE(outerThread, QThread::currentThread());
}

void tst_AsyncOperation::resumeAgileResumesOnFinishingThread_A12()
{
    Gate gate;
    QThread *innerThread = nullptr;
    QThread *outerThread = nullptr;
    const AsyncOperation<int> inner = valueFromPool(gate, 4, &innerThread);
    const AsyncOperation<int> outer = awaitAgile(inner, &outerThread);
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.getResults(), 5);
    QVERIFY(innerThread != QThread::currentThread());
    QCOMPARE(outerThread, innerThread);
}

void tst_AsyncOperation::severalCoroutinesCanAwaitOneOperation_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 10);
    const AsyncOperation<int> first = awaitValue(inner, nullptr);
    const AsyncOperation<int> second = awaitValue(inner, nullptr);
    gate.open();
    QVERIFY(Testing::wait(first));
    QVERIFY(Testing::wait(second));
    QCOMPARE(first.getResults(), 11);
    QCOMPARE(second.getResults(), 11);
}

void tst_AsyncOperation::awaitingDoesNotUseCompletedSlot_A12()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 10);
    const AsyncOperation<int> outer = awaitValue(inner, nullptr);
    int calls = 0;
    QCOMPARE(thrown([&] { inner.setCompleted([&](const AsyncOperation<int> &, AsyncStatus) { ++calls; }); }),
             QStringLiteral("nothing"));
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(calls, 1);
    QCOMPARE(outer.getResults(), 11);
}

// --------------------------------------------------------------------------------------------- A13

void tst_AsyncOperation::tokensAreObtainedWithoutSuspending_A13()
{
    bool reachedEnd = false;
    const AsyncActionWithProgress<int> op = tokensWithoutSuspending(&reachedEnd);
    QVERIFY(reachedEnd);
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_AsyncOperation::cancellationTokenAnswersRequest_A13()
{
    Gate gate;
    CancellationToken token;
    QVERIFY(!token()); // an empty token is never requested
    const AsyncAction op = keepCancellationToken(gate, &token);
    QVERIFY(!token());
    op.cancel();
    QVERIFY(token());
    gate.open();
}

void tst_AsyncOperation::cancellationTokenCopyOutlivesBody_A13()
{
    Gate canceledGate;
    Gate completedGate;
    CancellationToken canceledToken;
    CancellationToken completedToken;
    {
        const AsyncAction canceled = keepCancellationToken(canceledGate, &canceledToken);
        const AsyncAction completed = keepCancellationToken(completedGate, &completedToken);
        canceled.cancel();
        canceledGate.open();
        completedGate.open();
    } // every handle and both frames are gone
    QVERIFY(canceledToken());
    QVERIFY(!completedToken());
    bool ran = false;
    canceledToken.callback([&] { ran = true; }); // already requested: runs at once, safely
    QVERIFY(ran);
}

void tst_AsyncOperation::stopTokenIsStoppedByCancel_A13()
{
    Gate gate;
    std::stop_token stop;
    const AsyncAction op = keepStopToken(gate, &stop);
    QVERIFY(stop.stop_possible());
    QVERIFY(!stop.stop_requested());
    bool called = false;
    std::stop_callback callback(stop, [&] { called = true; });
    op.cancel();
    QVERIFY(stop.stop_requested());
    QVERIFY(called);
    gate.open();
}

void tst_AsyncOperation::stopTokenObtainedAfterCancelIsStopped_A13()
{
    Gate gate;
    bool stopped = false;
    const AsyncAction op = stopTokenAfterCancel(gate, &stopped);
    op.cancel();
    gate.open();
    QVERIFY(!op.isRunning());
    QVERIFY(stopped);
}

void tst_AsyncOperation::laterCallbackReplacesEarlierOne_A13()
{
    Gate gate;
    CancellationToken token;
    const AsyncAction op = keepCancellationToken(gate, &token);
    QStringList calls;
    token.callback([&] { calls << QStringLiteral("first"); });
    token.callback([&] { calls << QStringLiteral("second"); });
    op.cancel();
    QCOMPARE(calls, QStringList({QStringLiteral("second")}));
    gate.open();
}

void tst_AsyncOperation::nullCallbackClearsCallback_A13()
{
    Gate gate;
    CancellationToken token;
    const AsyncAction op = keepCancellationToken(gate, &token);
    int calls = 0;
    token.callback([&] { ++calls; });
    token.callback(nullptr);
    op.cancel();
    QCOMPARE(calls, 0);
    gate.open();
}

void tst_AsyncOperation::enablePropagationReturnsPreviousSetting_A13()
{
    QList<bool> answers;
    const AsyncAction op = togglePropagation(&answers);
    QVERIFY(!op.isRunning());
    QCOMPARE(answers, QList<bool>({true, false, true})); // on by default
}

// --------------------------------------------------------------------------------------------- A14

void tst_AsyncOperation::cancelWhileSuspendedEndsCanceled_A14()
{
    Gate gate;
    bool after = false;
    const AsyncAction op = markAfter(gate, &after);
    op.cancel();
    gate.open(); // the awaited thing finished normally, yet the body must not go on
    QVERIFY(!after);
    QVERIFY(!op.isRunning());
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::everyLaterCoAwaitThrowsAfterCancel_A14()
{
    Gate gate;
    bool firstThrew = false;
    bool secondRan = false;
    const AsyncAction op = awaitAgainAfterCancel(gate, &firstThrew, &secondRan);
    op.cancel();
    gate.open();
    QVERIFY(firstThrew);
    QVERIFY(!secondRan);
    QVERIFY(!op.isRunning());
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

// --------------------------------------------------------------------------------------------- A15

void tst_AsyncOperation::cancelReachesAwaitedOperation_A15()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 1);
    const AsyncOperation<int> outer = awaitValue(inner, nullptr);
    outer.cancel();
    QCOMPARE(inner.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::cancelEndsAwaitedResumeAfterChainAtOnce_A15()
{
    const AsyncOperation<int> inner = delayedValue(std::chrono::hours(1), 1);
    const AsyncOperation<int> middle = awaitValue(inner, nullptr);
    const AsyncOperation<int> outer = awaitValue(middle, nullptr);
    outer.cancel();
    QVERIFY(!inner.isRunning()); // the timer wait ended inside cancel()
    QVERIFY(Testing::wait(outer, 5s));
    QVERIFY(!inner.isRunning());
    QVERIFY(!middle.isRunning());
    QCOMPARE(inner.status(), AsyncStatus::Canceled);
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::disabledPropagationLeavesAwaitedOperationRunning_A15()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 1);
    const AsyncOperation<int> outer = awaitWithoutPropagation(inner);
    outer.cancel();
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
    QCOMPARE(inner.status(), AsyncStatus::Started);
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(inner.status(), AsyncStatus::Completed);
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::cancelEndsResumeOnWaitAtOnce_A15()
{
    QThread idle; // never started: only cancel() can end the wait
    QObject target;
    target.moveToThread(&idle);
    QThread *ranOn = nullptr;
    const AsyncAction op = onObjectThread(&target, &ranOn);
    QVERIFY(op.isRunning());
    op.cancel();
    QVERIFY(!op.isRunning()); // resumed with OperationCanceled inside cancel()
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(ranOn, nullptr);
}

// --------------------------------------------------------------------------------------------- A16

void tst_AsyncOperation::cancelReachesTheInnermostOfTenNestedOperations_A15()
{
    const AsyncOperation<int> outer = nestedOver(10);
    QVERIFY(outer.isRunning());
    outer.cancel();
    // The cancel() reached the leaf's resumeAfter through ten awaits and every body unwound inside it.
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
    QVERIFY(!outer.isRunning());
}

void tst_AsyncOperation::deepChainEndsWithoutGrowingTheStack_A15()
{
    // 1000 nested bodies on a thread without an event loop; the leaf ends on a pool thread and each
    // awaiter resumes inline there. Resumed by symmetric transfer, the outermost body runs at about the
    // leaf's stack depth; resumed by nested calls it would run ~1000 frames deeper.
    constexpr int depth = 1000;
    StackMarks marks;
    Gate gate;
    AsyncOperation<int> outer;
    std::thread creator([&] { outer = stackOuter(depth, gate, &marks); });
    creator.join();
    gate.open();
    QVERIFY(Testing::wait(outer, 10s));
    QCOMPARE(outer.getResults(), depth);
    const std::ptrdiff_t distance = std::abs(marks.leaf.load() - marks.outer.load());
    QVERIFY2(distance < 64 * 1024, qPrintable(QStringLiteral("stack grew by %1 bytes").arg(distance)));
}

void tst_AsyncOperation::resumeBackgroundRunsOnPoolThread_A16()
{
    QThreadPool pool;
    QThread *ranOn = nullptr;
    int activeThreads = 0;
    const AsyncAction op = onPool(&pool, &ranOn, &activeThreads);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(ranOn != nullptr);
    QVERIFY(ranOn != QThread::currentThread());
    QCOMPARE(activeThreads, 1); // the body ran as a task of the given pool
}

void tst_AsyncOperation::resumeOnRunsOnObjectThread_A16()
{
    WorkerThread worker;
    QThread *ranOn = nullptr;
    const AsyncAction op = onObjectThread(worker.context(), &ranOn);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(ranOn, worker.thread());
}

void tst_AsyncOperation::resumeOnObjectOfCurrentThreadDoesNotSuspend_A16()
{
    QObject here;
    QThread *ranOn = nullptr;
    const AsyncAction op = onObjectThread(&here, &ranOn);
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(ranOn, QThread::currentThread());
}

void tst_AsyncOperation::resumeOnObjectDestroyedBeforeResumptionEndsCanceled_A16()
{
    // A thread that never runs: the resumption posted to it can only be dropped.
    QThread idle;
    auto *target = new QObject;
    target->moveToThread(&idle);
    QThread *ranOn = nullptr;
    const AsyncAction op = onObjectThread(target, &ranOn);
    QVERIFY(op.isRunning());
    delete target; // safe: its thread never started, nothing else touches it
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(ranOn, nullptr);
}

void tst_AsyncOperation::resumeOnNullObjectEndsCanceled_A16()
{
    QThread *ranOn = nullptr;
    const AsyncAction op = onObjectThread(nullptr, &ranOn);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(ranOn, nullptr);
}

void tst_AsyncOperation::resumeAfterResumesLaterOnCurrentThread_A16()
{
    QThread *resumedOn = nullptr;
    const AsyncAction op = delayed(20ms, &resumedOn);
    QVERIFY(op.isRunning());
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(resumedOn, QThread::currentThread());
}

void tst_AsyncOperation::resumeAfterZeroDoesNotSuspend_A16()
{
    QThread *resumedOn = nullptr;
    const AsyncAction op = delayed(0ms, &resumedOn);
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(resumedOn, QThread::currentThread());
}

void tst_AsyncOperation::resumeAfterWithoutEventLoopResumesOnPoolThread_A16()
{
    QThread *resumedOn = nullptr;
    const AsyncAction op = backgroundThenDelay(10ms, &resumedOn);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(resumedOn != nullptr);
    QVERIFY(resumedOn != QThread::currentThread());
}

void tst_AsyncOperation::cancelEndsResumeAfterAtOnce_A16()
{
    QThread *resumedOn = nullptr;
    const AsyncAction op = delayed(std::chrono::hours(1), &resumedOn);
    op.cancel();
    QVERIFY(!op.isRunning()); // resumed and unwound inside cancel(), on this thread
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QCOMPARE(resumedOn, nullptr);
}

// --------------------------------------------------------------------------------------------- A18

void tst_AsyncOperation::concurrentCancelsRunCallbackOnce_A18()
{
    Gate gate;
    std::atomic<int> calls{0};
    const AsyncAction op = callbackThenWait(gate, [&] { ++calls; });
    std::atomic<bool> go{false};
    std::vector<std::unique_ptr<Worker>> cancelers;
    for (int i = 0; i < 4; ++i) {
        cancelers.push_back(std::make_unique<Worker>([&] {
            while (!go.load()) {
            }
            for (int n = 0; n < 100; ++n)
                op.cancel();
        }));
    }
    go = true;
    for (auto &canceler : cancelers)
        QVERIFY(canceler->join());
    QCOMPARE(calls.load(), 1);
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(!op.isRunning());
}

// --------------------------------------------------------------------------------------------- A19

void tst_AsyncOperation::throwingCompletedHandlerGoesToUnhandledErrorHandler_A19()
{
    UnhandledErrors errors;
    Gate gate;
    const AsyncAction op = waitOn(gate);
    op.setCompleted([](const AsyncAction &, AsyncStatus) { throw TestError("handler broke"); });
    QCOMPARE(thrown([&] { gate.open(); }), QStringLiteral("nothing"));
    QCOMPARE(errors.messages(), QStringList({QStringLiteral("handler broke")}));
    QCOMPARE(op.status(), AsyncStatus::Completed);
}

void tst_AsyncOperation::throwingProgressHandlerGoesToUnhandledErrorHandler_A19()
{
    UnhandledErrors errors;
    Gate gate;
    const AsyncActionWithProgress<int> op = reportAfter(gate, {1});
    op.setProgress(
        [](const AsyncActionWithProgress<int> &, const int &) { throw TestError("progress broke"); });
    QCOMPARE(thrown([&] { gate.open(); }), QStringLiteral("nothing"));
    QCOMPARE(errors.messages(), QStringList({QStringLiteral("progress broke")}));
    QCOMPARE(op.status(), AsyncStatus::Completed); // the body never saw it
}

void tst_AsyncOperation::throwingCancellationCallbackGoesToUnhandledErrorHandler_A19()
{
    UnhandledErrors errors;
    Gate gate;
    const AsyncAction op = callbackThenWait(gate, [] { throw TestError("callback broke"); });
    op.cancel(); // noexcept: an escaping exception would terminate
    QCOMPARE(errors.messages(), QStringList({QStringLiteral("callback broke")}));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    gate.open();
}

// --------------------------------------------------------------------------------------------- A20

void tst_AsyncOperation::emptyHandleThrowsIllegalMethodCall_A20()
{
    const AsyncOperation<int> empty;
    QVERIFY(!empty.isValid());
    const QString illegal = QStringLiteral("AsyncError::IllegalMethodCall");
    QCOMPARE(thrown([&] { (void)empty.id(); }), illegal);
    QCOMPARE(thrown([&] { (void)empty.status(); }), illegal);
    QCOMPARE(thrown([&] { (void)empty.getResults(); }), illegal);
    QCOMPARE(thrown([&] { empty.close(); }), illegal);
    QCOMPARE(thrown([&] { empty.setCompleted(nullptr); }), illegal);
    QVERIFY(thrownMessage([&] { (void)empty.status(); }).contains(QLatin1String("empty handle")));
    QVERIFY(immediate(1).isValid());
}

void tst_AsyncOperation::illegalMethodCallNamesCallAndState_A20()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    const QString started = thrownMessage([&] { (void)op.getResults(); });
    QVERIFY2(started.contains(QLatin1String("getResults()")), qPrintable(started));
    QVERIFY2(started.contains(QLatin1String("Started")), qPrintable(started));
    gate.open();
    op.close();
    const QString closed = thrownMessage([&] { (void)op.status(); });
    QVERIFY2(closed.contains(QLatin1String("status()")), qPrintable(closed));
    QVERIFY2(closed.contains(QLatin1String("close()")), qPrintable(closed));
}

void tst_AsyncOperation::illegalDelegateAssignmentNamesCall_A20()
{
    const AsyncAction op = immediate(1);
    op.setCompleted(nullptr);
    const QString message = thrownMessage([&] { op.setCompleted(nullptr); });
    QVERIFY2(message.contains(QLatin1String("setCompleted()")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("second")), qPrintable(message));
}

void tst_AsyncOperation::illegalStateChangeNamesCallAndState_A20()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    op.cancel();
    const QString message = thrownMessage([&] { op.close(); });
    QVERIFY2(message.contains(QLatin1String("close()")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("running")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("Canceled")), qPrintable(message));
    gate.open();
}

void tst_AsyncOperation::wrongThreadNamesCall_A20()
{
    Gate gate;
    const AsyncAction op = waitOn(gate);
    const QString get = thrownMessage([&] { op.get(); });
    const QString waitFor = thrownMessage([&] { (void)op.waitFor(1ms); });
    QVERIFY2(get.contains(QLatin1String("get()")), qPrintable(get));
    QVERIFY2(get.contains(QLatin1String("main thread")), qPrintable(get));
    QVERIFY2(waitFor.contains(QLatin1String("waitFor()")), qPrintable(waitFor));
    gate.open();
}

void tst_AsyncOperation::operationCanceledHasMessage_A20()
{
    QVERIFY(!QString::fromUtf8(OperationCanceled().what()).isEmpty());
    QCOMPARE(QString::fromUtf8(OperationCanceled("stop").what()), QStringLiteral("stop"));
    Gate gate;
    const AsyncAction op = waitOn(gate);
    op.cancel();
    QVERIFY2(op.errorString().contains(QLatin1String("cancel")), qPrintable(op.errorString()));
    QVERIFY2(op.errorString().contains(QString::number(op.id())), qPrintable(op.errorString()));
    gate.open();
}

void tst_AsyncOperation::awaitInProgressCompletesNormallyWithPropagationOff_A14()
{
    Gate gate;
    const AsyncOperation<int> inner = valueAfter(gate, 7);
    int got = 0;
    bool ranPastSecondAwait = false;
    const AsyncOperation<int> outer = awaitThenAwaitAgainWithoutPropagation(inner, &got, &ranPastSecondAwait);
    outer.cancel();
    // The request is reported at once (A4, A13), but the await in progress is not touched.
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
    QCOMPARE(inner.status(), AsyncStatus::Started);
    QVERIFY(outer.isRunning());
    gate.open();
    QVERIFY(Testing::wait(outer));
    QCOMPARE(got, 7);             // the await in progress returned its result
    QVERIFY(!ranPastSecondAwait); // the next co_await threw
    QCOMPARE(outer.status(), AsyncStatus::Canceled);
}

void tst_AsyncOperation::resumeAfterOnThreadWithoutQtEventLoopResumesOnPool_A16()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("Timers")));
    QThread *resumedOn = nullptr;
    QThread *caller = nullptr;
    AsyncAction op;
    // A plain std::thread: no QThread, no event loop. The call returns once the body is suspended.
    std::thread([&] {
        caller = QThread::currentThread();
        op = delayed(30ms, &resumedOn);
    }).join();
    QVERIFY(op.isValid());
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(resumedOn != nullptr);
    QVERIFY(resumedOn != QThread::currentThread());
    QVERIFY(resumedOn != caller);
}

void tst_AsyncOperation::canceledResumeAfterStopsAndFreesItsTimer_A15()
{
    // Timed on the main thread for a thread without an event loop: cancel() posts the timer's end
    // there. LeakSanitizer (asan preset) fails this suite if a timer is left behind.
    for (int i = 0; i < 20; ++i) {
        QThread *resumedOn = nullptr;
        AsyncAction op;
        std::thread([&] { op = delayed(std::chrono::hours(1), &resumedOn); }).join();
        op.cancel();
        QVERIFY(!op.isRunning()); // resumed and unwound inside cancel(), on this thread (A4)
        QCOMPARE(op.status(), AsyncStatus::Canceled);
        QCOMPARE(resumedOn, nullptr);
    }
    // A thread with an event loop: the timer lives there and is freed there.
    {
        WorkerThread worker;
        QThread *resumedOn = nullptr;
        AsyncAction op;
        QMetaObject::invokeMethod(
            worker.context(), [&] { op = delayed(std::chrono::hours(1), &resumedOn); },
            Qt::BlockingQueuedConnection);
        op.cancel();
        QVERIFY(!op.isRunning());
        QCOMPARE(op.status(), AsyncStatus::Canceled);
        // The worker handles what cancel() posted before this empty call returns (events in order).
        QMetaObject::invokeMethod(
            worker.context(), [] {}, Qt::BlockingQueuedConnection);
    }
    QCoreApplication::sendPostedEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

void tst_AsyncOperation::resumeBackgroundDefaultsToOwnPoolNotGlobal_A16()
{
    QVERIFY(threadPool() != nullptr);
    QVERIFY(threadPool() != QThreadPool::globalInstance());
    QCOMPARE(threadPool()->maxThreadCount(), QThread::idealThreadCount());
    QSemaphore started;
    QSemaphore release(1);
    std::atomic<QThreadPool *> ranOnPool{nullptr};
    const AsyncAction op = waitOnOwnPool(&started, &release, &ranOnPool);
    QVERIFY(Testing::wait(op));
    QCOMPARE(ranOnPool.load(), threadPool());
    QCOMPARE(QThreadPool::globalInstance()->activeThreadCount(), 0);
}

void tst_AsyncOperation::saturatedOwnPoolLeavesGlobalPoolAndGuiThreadFree_A16()
{
    // Long runs fill every thread of CommandKit's pool ...
    const int threads = threadPool()->maxThreadCount();
    QSemaphore started;
    QSemaphore release;
    std::atomic<QThreadPool *> ranOnPool{nullptr};
    std::vector<AsyncAction> runs;
    for (int i = 0; i < threads; ++i)
        runs.push_back(waitOnOwnPool(&started, &release, &ranOnPool));
    QVERIFY(started.tryAcquire(threads, 5000));
    // ... and Qt's own pool and the GUI thread's timers still run at once.
    std::atomic<bool> globalRan{false};
    QThreadPool::globalInstance()->start([&globalRan] { globalRan.store(true); });
    bool timerFired = false;
    QTimer::singleShot(0, [&timerFired] { timerFired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(globalRan.load() && timerFired, 1000);
    release.release(threads);
    for (const AsyncAction &run : runs)
        QVERIFY(Testing::wait(run));
}

void tst_AsyncOperation::setThreadPoolReplacesTheDefaultPool_A16()
{
    QThreadPool pool;
    QThreadPool *const own = threadPool();
    setThreadPool(&pool);
    QCOMPARE(threadPool(), &pool);
    QThread *ranOn = nullptr;
    int activeThreads = 0;
    const AsyncAction op = onDefaultPool(&ranOn, &activeThreads);
    QVERIFY(Testing::wait(op));
    setThreadPool(nullptr);
    QCOMPARE(threadPool(), own);
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QVERIFY(ranOn != QThread::currentThread());
    QCOMPARE(activeThreads, 1); // the body ran as a task of the replaced pool
}

void tst_AsyncOperation::cancelOnEmptyHandleThrowsIllegalMethodCall_A20()
{
    const AsyncOperation<int, double> empty;
    QCOMPARE(thrown([&] { empty.cancel(); }), QStringLiteral("AsyncError::IllegalMethodCall"));
    QVERIFY(thrownMessage([&] { empty.cancel(); }).contains(QLatin1String("cancel()")));
    QVERIFY(thrownMessage([&] { empty.cancel(); }).contains(QLatin1String("empty handle")));
}

void tst_AsyncOperation::wrongThreadMessageNamesTheStatus_A20()
{
    Gate gate;
    const AsyncOperation<int> op = valueAfter(gate, 1);
    QVERIFY(thrownMessage([&] { (void)op.get(); }).contains(QLatin1String("get()")));
    QVERIFY(thrownMessage([&] { (void)op.get(); }).contains(QLatin1String("status Started")));
    op.cancel(); // Canceled, but the body still runs (A5)
    QVERIFY(thrownMessage([&] { (void)op.waitFor(1ms); }).contains(QLatin1String("status Canceled")));
    gate.open();
}

QTEST_GUILESS_MAIN(tst_AsyncOperation)
#include "tst_asyncoperation.moc"
