// SPDX-License-Identifier: MIT
#include "commandkit/scheduling.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <mutex>

#include "clock_p.h"
#include "commandkit/detail/backgroundawaiter.h"
#include "commandkit/detail/cancelablewait.h"
#include "commandkit/detail/resumeonawaiter.h"
#include "commandkit/detail/timerawaiter.h"

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
    ContextRef context = currentThreadContext();
    const bool hasLoop = context.isSet();
    if (!hasLoop) {
        QCoreApplication *const app = QCoreApplication::instance();
        if (!app) {
            throw AsyncError(AsyncError::IllegalMethodCall,
                             "resumeAfter(): a thread without an event loop is timed on the main thread, "
                             "and there is no QCoreApplication");
        }
        context = ContextRef(app);
    }
    // Copies: once prepare() has published the suspension, a cancel() on another thread may resume the
    // body and destroy this awaiter.
    const std::chrono::milliseconds duration = m_duration;
    auto once = m_once;
    // The clock's call (A23), canceled by the first cancel() (A15). Its id is known only once it is
    // scheduled, after the hook below is in place: the mutex settles a cancel() that comes in between.
    struct Scheduled
    {
        std::mutex mutex;
        Clock::CallId id = 0;
        bool canceled = false;
    };
    auto scheduled = std::make_shared<Scheduled>();
    const auto unschedule = [scheduled] {
        Clock::CallId id = 0;
        {
            std::lock_guard lock(scheduled->mutex);
            scheduled->canceled = true;
            id = scheduled->id;
        }
        Clock::cancel(id);
    };
    if (!prepare(handle, unschedule))
        return false;
    Clock::CallId id = 0;
    try {
        id = Clock::callAfter(duration, context, [once, hasLoop] {
            tsanTakeOver();
            if (!once->claim(false))
                return; // cancel() won and has resumed the body
            if (hasLoop)
                once->handle.resume();
            else
                resumeOnPool(backgroundPool(), once->handle);
        });
    } catch (...) {
        // Nothing was scheduled. A cancel() from now on finds the wait over; one that already won has
        // resumed the body, which must then not see this exception too.
        if (once->claim(false))
            throw;
        return true;
    }
    bool canceled = false;
    {
        std::lock_guard lock(scheduled->mutex);
        scheduled->id = id;
        canceled = scheduled->canceled;
    }
    if (canceled)
        Clock::cancel(id);
    return true;
}

void TimerAwaiter::await_resume() const
{
    if (wasCanceled())
        throw OperationCanceled("resumeAfter(): canceled while waiting");
}

} // namespace CommandKit::detail

#include "commandkit/detail/futureawaiter.h"

namespace CommandKit::detail {

void throwFutureCanceled()
{
    throw OperationCanceled("the awaited QFuture was canceled");
}

} // namespace CommandKit::detail
