// SPDX-License-Identifier: MIT
#include "commandkit/detail/scheduling.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

namespace CommandKit::detail {

bool CancelableWait::prepare(std::coroutine_handle<> handle)
{
    m_once->handle = handle;
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
    if (!prepare(handle))
        return false;
    auto once = m_once;
    if (currentThreadContext().isSet()) {
        // No context object: the timer lives on this thread and fires through its event loop.
        QTimer::singleShot(m_duration, [once] { once->resume(false); });
    } else {
        // No event loop here: time it on the main thread and resume on a pool thread.
        tsanHandOff();
        QTimer::singleShot(m_duration, QCoreApplication::instance(), [once] {
            tsanTakeOver();
            ResumeOnce::resumeOnPool(once);
        });
    }
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
