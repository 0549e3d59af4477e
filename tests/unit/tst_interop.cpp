// SPDX-License-Identifier: MIT
// Interop of the async core with QFuture, QtConcurrent and QCoro (design.md A17, with A12 and A15).
#include <QtConcurrent/QtConcurrent>
#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/interop.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTask>
#include <QCoro/QCoroTimer>

#include <stdexcept>
#include <thread>

using namespace CommandKit;

namespace {

/*! The exception the tests throw; a distinct type shows it crossed unchanged (A17). */
struct InteropError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

template <typename T>
AsyncOperation<T> awaitFuture(QFuture<T> future)
{
    co_return co_await future;
}

AsyncOperation<int> awaitFutureOnThread(QFuture<int> future, QThread **resumedOn)
{
    const int value = co_await future;
    *resumedOn = QThread::currentThread();
    co_return value;
}

QCoro::Task<int> qcoroValueAfterTimer(int value)
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(5);
    co_await timer;
    co_return value;
}

QCoro::Task<int> qcoroThrowAfterTimer()
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(5);
    co_await timer;
    throw InteropError("from a QCoro task");
}

AsyncOperation<int> awaitTask(QCoro::Task<int> task)
{
    co_return co_await std::move(task);
}

/*! A public signal: QCoro 0.8's qCoro(signal) binds a null QPrivateSignal reference (UBSan) for Qt's own. */
class Emitter : public QObject
{
    Q_OBJECT

Q_SIGNALS:
    void fired(int value);
};

AsyncOperation<int> awaitTimerThenSignal(QTimer *timer, Emitter *emitter)
{
    co_await *timer; // QCoro's awaitable for a QTimer
    const int value = co_await qCoro(emitter, &Emitter::fired);
    co_return value;
}

AsyncOperation<int> valueOnPool(int value)
{
    co_await resumeBackground();
    co_return value;
}

AsyncOperation<int> throwOnPool()
{
    co_await resumeBackground();
    throw InteropError("from an operation");
}

AsyncOperation<int> neverEnding(QFuture<int> gate)
{
    co_return co_await gate;
}

} // namespace

class tst_Interop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void awaitingQtConcurrentYieldsItsResult_A17();
    void awaitingQtConcurrentRethrowsItsExceptionUnchanged_A17();
    void awaitingQFutureResumesOnAwaitingThread_A17_A12();
    void awaitingCanceledQFutureEndsCanceled_A17();
    void cancelReachesAwaitedQFuture_A17_A15();
    void awaitingQCoroTaskYieldsItsResult_A17();
    void awaitingQCoroTaskRethrowsItsException_A17();
    void awaitingQCoroTimerAndSignal_A17();
    void toFutureCarriesTheResult_A17();
    void toFutureCarriesTheExceptionUnchanged_A17();
    void toFutureOfCanceledOperationIsCanceled_A17();
    void fromFutureCarriesResultAndException_A17();
    void cancelOfFromFutureCancelsTheFuture_A17();
};

void tst_Interop::awaitingQtConcurrentYieldsItsResult_A17()
{
    const AsyncOperation<int> op = awaitFuture(QtConcurrent::run([] { return 42; }));
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Completed);
    QCOMPARE(op.getResults(), 42);
}

void tst_Interop::awaitingQtConcurrentRethrowsItsExceptionUnchanged_A17()
{
    // QtConcurrent wraps a non-QException in QUnhandledException; the body sees the original.
    const AsyncOperation<int> op =
        awaitFuture(QtConcurrent::run([]() -> int { throw InteropError("concurrent"); }));
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Error);
    QVERIFY_THROWS_EXCEPTION(InteropError, op.getResults());
    QCOMPARE(op.errorString(), QStringLiteral("concurrent"));
}

void tst_Interop::awaitingQFutureResumesOnAwaitingThread_A17_A12()
{
    QPromise<int> promise;
    promise.start();
    QThread *resumedOn = nullptr;
    const AsyncOperation<int> op = awaitFutureOnThread(promise.future(), &resumedOn);
    QVERIFY(op.isRunning());
    std::thread producer([&promise] {
        promise.addResult(5);
        promise.finish();
    });
    producer.join();
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.getResults(), 5);
    QCOMPARE(resumedOn, QThread::currentThread());
}

void tst_Interop::awaitingCanceledQFutureEndsCanceled_A17()
{
    QPromise<int> promise;
    promise.start();
    const AsyncOperation<int> op = awaitFuture(promise.future());
    promise.future().cancel();
    promise.finish();
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, op.getResults());
}

void tst_Interop::cancelReachesAwaitedQFuture_A17_A15()
{
    QPromise<int> promise;
    promise.start();
    const AsyncOperation<int> op = neverEnding(promise.future());
    QVERIFY(!promise.isCanceled());
    op.cancel();
    QVERIFY(promise.isCanceled()); // A15: the future's cancel(), synchronously inside cancel()
    QCOMPARE(op.status(), AsyncStatus::Canceled);
    promise.finish();
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

void tst_Interop::awaitingQCoroTaskYieldsItsResult_A17()
{
    const AsyncOperation<int> op = awaitTask(qcoroValueAfterTimer(11));
    QVERIFY(op.isRunning());
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.getResults(), 11);
}

void tst_Interop::awaitingQCoroTaskRethrowsItsException_A17()
{
    const AsyncOperation<int> op = awaitTask(qcoroThrowAfterTimer());
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Error);
    QVERIFY_THROWS_EXCEPTION(InteropError, op.getResults());
}

void tst_Interop::awaitingQCoroTimerAndSignal_A17()
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(5);
    Emitter emitter;
    const AsyncOperation<int> op = awaitTimerThenSignal(&timer, &emitter);
    QVERIFY(op.isRunning());
    QTRY_VERIFY(!timer.isActive());
    QCoreApplication::processEvents();
    QVERIFY(op.isRunning()); // now waiting for the signal
    Q_EMIT emitter.fired(7);
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.getResults(), 7);
}

void tst_Interop::toFutureCarriesTheResult_A17()
{
    const QFuture<int> future = toFuture(valueOnPool(9));
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QVERIFY(!future.isCanceled());
    QCOMPARE(future.result(), 9);
}

void tst_Interop::toFutureCarriesTheExceptionUnchanged_A17()
{
    const QFuture<int> future = toFuture(throwOnPool());
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QVERIFY_THROWS_EXCEPTION(InteropError, future.result());
}

void tst_Interop::toFutureOfCanceledOperationIsCanceled_A17()
{
    QPromise<int> promise;
    promise.start();
    const AsyncOperation<int> op = neverEnding(promise.future());
    const QFuture<int> future = toFuture(op);
    op.cancel();
    promise.finish();
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QVERIFY(future.isCanceled());
}

void tst_Interop::fromFutureCarriesResultAndException_A17()
{
    const AsyncOperation<int> value = fromFuture(QtConcurrent::run([] { return 3; }));
    QVERIFY(Testing::wait(value));
    QCOMPARE(value.getResults(), 3);

    const AsyncOperation<int> failure =
        fromFuture(QtConcurrent::run([]() -> int { throw InteropError("x"); }));
    QVERIFY(Testing::wait(failure));
    QVERIFY_THROWS_EXCEPTION(InteropError, failure.getResults());
}

void tst_Interop::cancelOfFromFutureCancelsTheFuture_A17()
{
    QPromise<void> promise;
    promise.start();
    const AsyncAction op = fromFuture(promise.future());
    QVERIFY(op.isRunning());
    op.cancel();
    QVERIFY(promise.isCanceled());
    promise.finish();
    QVERIFY(Testing::wait(op));
    QCOMPARE(op.status(), AsyncStatus::Canceled);
}

QTEST_GUILESS_MAIN(tst_Interop)

#include "tst_interop.moc"
