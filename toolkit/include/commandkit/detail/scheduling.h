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

/*! \internal The pool resumeBackground() and the timers' pool resumptions use (A16); never null. */
COMMANDKIT_EXPORT QThreadPool *backgroundPool() noexcept;

/*! \internal Starts \a handle's resumption on \a pool (a hand-off ThreadSanitizer must be told about). */
COMMANDKIT_EXPORT void resumeOnPool(QThreadPool *pool, std::coroutine_handle<> handle);

/*! \internal resumeBackground(): hands the coroutine to a QThreadPool, CommandKit's own by default. */
struct BackgroundAwaiter
{
    QThreadPool *pool;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) const
    {
        resumeOnPool(pool ? pool : backgroundPool(), handle);
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
    /*! Set before the suspension is published; run by a cancel that wins, before the body resumes. */
    std::function<void()> onCancel;

    /*! Whether this caller is the first to arrive, and so the one that must resume. */
    bool claim(bool cancel) noexcept
    {
        // acq_rel: the winner must see the handle stored before the race began.
        if (done.exchange(true, std::memory_order_acq_rel))
            return false;
        canceled.store(cancel, std::memory_order_relaxed);
        return true;
    }

    void resume(bool cancel)
    {
        if (!claim(cancel))
            return;
        if (cancel && onCancel)
            onCancel();
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
    /*!
        Stores the handle and registers the cancel hook; false when already canceled (don't suspend).
        \a onCancel runs on the canceling thread when a cancel wins, before the body resumes.
    */
    bool prepare(std::coroutine_handle<> handle, std::function<void()> onCancel = {});
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

/*!
    \internal
    resumeAfter(duration): a call of CommandKit's clock (A23) on this thread, or on the main thread for
    a thread without an event loop (the body then resumes on the pool). The first of the timeout and
    cancel() resumes; a cancel also cancels the clock's call, which frees its timer (A15).
*/
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
