// SPDX-License-Identifier: MIT
#include "commandkit/scheduling.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

namespace CommandKit::detail {

Q_GLOBAL_STATIC(QThreadPool, ownPool)
static std::atomic<QThreadPool *> replacedPool{nullptr};

QThreadPool *backgroundPool() noexcept
{
    // acquire: pairs with setThreadPool()'s release, so a replaced pool is seen fully built.
    if (QThreadPool *pool = replacedPool.load(std::memory_order_acquire))
        return pool;
    return ownPool();
}

} // namespace CommandKit::detail

namespace CommandKit {

QThreadPool *threadPool() noexcept
{
    return detail::backgroundPool();
}

void setThreadPool(QThreadPool *pool) noexcept
{
    detail::replacedPool.store(pool, std::memory_order_release);
}

} // namespace CommandKit

namespace CommandKit::detail {

void resumeOnPool(QThreadPool *pool, std::coroutine_handle<> handle)
{
    std::function<void()> job = [handle] {
        tsanTakeOver();
        handle.resume();
    };
    tsanHandOff();
    pool->start(std::move(job));
}

bool CancelableWait::prepare(std::coroutine_handle<> handle, std::function<void()> onCancel)
{
    m_once->handle = handle;
    m_once->onCancel = std::move(onCancel);
    if (m_outer && !m_outer->setAwaitedCancel([once = m_once] { once->resume(true); })) {
        m_canceledEarly = true;
        return false;
    }
    return true;
}

bool ResumeOnAwaiter::await_ready()
{
    if (!m_target) {
        m_targetGone = true;
        return true;
    }
    return m_target->thread() == QThread::currentThread();
}

bool ResumeOnAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    if (!prepare(handle))
        return false;
    // Copies: once the resumption is scheduled, another thread may resume and destroy this awaiter.
    auto once = m_once;
    QObject *target = m_target.data();
    // Destroyed first: resume on the destroying thread with the cancellation (A16). No context object,
    // so the connection is direct and runs inside ~QObject, before its posted events are dropped.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(target, &QObject::destroyed, [once] {
        tsanTakeOver();
        once->resume(true);
    });
    tsanHandOff();
    QMetaObject::invokeMethod(
        target,
        [once, connection] {
            tsanTakeOver();
            QObject::disconnect(*connection);
            once->resume(false);
        },
        Qt::QueuedConnection);
    return true;
}

void ResumeOnAwaiter::await_resume() const
{
    if (m_targetGone)
        throw OperationCanceled(
            "resumeOn(): the target object is gone, the body cannot resume on its thread");
    if (wasCanceled())
        throw OperationCanceled(
            "resumeOn(): canceled, or the target object was destroyed before the body resumed");
}

bool TimerAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    const bool hasLoop = currentThreadContext().isSet();
    QCoreApplication *const app = QCoreApplication::instance();
    if (!hasLoop && !app) {
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "resumeAfter(): a thread without an event loop is timed on the main thread, and "
                         "there is no QCoreApplication");
    }
    // Made here, so the cancel hook registered below can always reach it. Deleted on its own thread
    // by whichever of the timeout and cancel() wins, never by both.
    auto *timer = new QTimer;
    timer->setSingleShot(true);
    timer->setInterval(m_duration);
    auto once = m_once;
    QObject::connect(timer, &QTimer::timeout, timer, [once, timer, hasLoop] {
        tsanTakeOver();
        if (!once->claim(false))
            return; // cancel() won: its deletion of this timer is on its way
        timer->deleteLater();
        if (hasLoop)
            once->handle.resume();
        else
            resumeOnPool(backgroundPool(), once->handle);
    });
    if (!hasLoop)
        timer->moveToThread(app->thread());
    QThread *const timerThread = timer->thread();
    // A cancel on the timer's own thread frees it at once. Anywhere else it is posted, also where the
    // timer was moved to the main thread: the start posted below may still be pending there.
    const auto stopTimer = [timer, timerThread, hasLoop] {
        if (hasLoop && QThread::currentThread() == timerThread) {
            delete timer;
            return;
        }
        QMetaObject::invokeMethod(
            timer,
            [timer] {
                timer->stop();
                timer->deleteLater();
            },
            Qt::QueuedConnection);
    };
    if (!prepare(handle, stopTimer)) {
        stopTimer();
        return false;
    }
    tsanHandOff();
    if (hasLoop)
        timer->start();
    else
        QMetaObject::invokeMethod(timer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
    return true;
}

void TimerAwaiter::await_resume() const
{
    if (wasCanceled())
        throw OperationCanceled("resumeAfter(): canceled while waiting");
}

} // namespace CommandKit::detail

#include "commandkit/detail/interop.h"

namespace CommandKit::detail {

void throwFutureCanceled()
{
    throw OperationCanceled("the awaited QFuture was canceled");
}

} // namespace CommandKit::detail
