// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThreadPool>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <functional>
#include <memory>

#include "commandkit/detail/asyncstatebase.h"

namespace CommandKit::detail {

/*! \internal resumeBackground(): hands the coroutine to a QThreadPool. */
struct BackgroundAwaiter
{
    QThreadPool *pool;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) const
    {
        // Read before the hand-off: once started, the pool thread may resume and free this frame.
        QThreadPool *const target = pool;
        std::function<void()> job = [handle] {
            tsanTakeOver();
            handle.resume();
        };
        tsanHandOff();
        target->start(std::move(job));
    }
    void await_resume() const noexcept {}
};

/*!
    \internal
    One suspension that may be ended by whichever comes first: the awaited event, or the target's
    destruction / the body's cancel(). The first to arrive resumes; the flag makes the rest no-ops.
*/
struct ResumeOnce
{
    std::atomic<bool> done{false};
    std::atomic<bool> canceled{false};
    std::coroutine_handle<> handle;

    /*! Resumes from a QThreadPool thread (a hand-off ThreadSanitizer must be told about). */
    static void resumeOnPool(std::shared_ptr<ResumeOnce> once)
    {
        std::function<void()> job = [once] {
            tsanTakeOver();
            once->resume(false);
        };
        tsanHandOff();
        QThreadPool::globalInstance()->start(std::move(job));
    }

    void resume(bool cancel)
    {
        // acq_rel: the winner must see the handle stored before the race began.
        if (done.exchange(true, std::memory_order_acq_rel))
            return;
        canceled.store(cancel, std::memory_order_relaxed);
        handle.resume();
    }
};

/*!
    \internal
    The part of resumeOn() and resumeAfter() that is the same: a ResumeOnce, and the outer body's
    cancel() registered to end the wait at once (A15).
*/
class COMMANDKIT_EXPORT CancelableWait
{
public:
    void setOuter(AsyncStateBase *outer) noexcept { m_outer = outer; }

protected:
    /*! Stores the handle and registers the cancel hook; false when already canceled (don't suspend). */
    bool prepare(std::coroutine_handle<> handle);
    [[nodiscard]] bool wasCanceled() const noexcept
    {
        return m_canceledEarly || m_once->canceled.load(std::memory_order_relaxed);
    }

    std::shared_ptr<ResumeOnce> m_once = std::make_shared<ResumeOnce>();

private:
    AsyncStateBase *m_outer = nullptr;
    bool m_canceledEarly = false;
};

/*! \internal resumeOn(object). */
class COMMANDKIT_EXPORT ResumeOnAwaiter : public CancelableWait
{
public:
    explicit ResumeOnAwaiter(QObject *target)
        : m_target(target)
    {}
    bool await_ready();
    bool await_suspend(std::coroutine_handle<> handle);
    void await_resume() const;

private:
    QPointer<QObject> m_target;
    bool m_targetGone = false;
};

/*! \internal resumeAfter(duration). */
class COMMANDKIT_EXPORT TimerAwaiter : public CancelableWait
{
public:
    explicit TimerAwaiter(std::chrono::milliseconds duration)
        : m_duration(duration)
    {}
    bool await_ready() const noexcept { return m_duration.count() <= 0; }
    bool await_suspend(std::coroutine_handle<> handle);
    void await_resume() const;

private:
    std::chrono::milliseconds m_duration;
};

} // namespace CommandKit::detail
