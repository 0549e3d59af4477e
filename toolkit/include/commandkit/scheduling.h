// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QThreadPool>

#include <chrono>

#include "commandkit/asyncoperation.h"
#include "commandkit/detail/backgroundawaiter.h"
#include "commandkit/detail/resumeonawaiter.h"
#include "commandkit/detail/timerawaiter.h"

namespace CommandKit {

/*!
    \brief CommandKit's thread pool: where \c resumeBackground() without a pool, and bodies that
    resume off a thread without an event loop, run (A16).

    By default a pool of CommandKit's own, sized to the machine (\c QThread::idealThreadCount()
    threads), never \c QThreadPool::globalInstance(): Qt itself queues work on the global pool (Qt
    Quick's rendering among it), and long runs there would starve it. Never null.
    \note Thread-safe; may be called from any thread.
*/
[[nodiscard]] COMMANDKIT_EXPORT QThreadPool *threadPool() noexcept;

/*!
    \brief Makes \a pool the one \c threadPool() returns from now on; \c nullptr restores CommandKit's
    own (A16).

    The caller keeps ownership and keeps \a pool alive while any body may still resume on it. Bodies
    already handed to the previous pool run there.
    \note Thread-safe; may be called from any thread.
*/
COMMANDKIT_EXPORT void setThreadPool(QThreadPool *pool) noexcept;

/*!
    \brief <tt>co_await resumeBackground()</tt> resumes the body on a thread of \a pool (A16).

    \a pool null (the default) means \c threadPool(), CommandKit's own pool. The body then runs on a
    pool thread, which has no event loop: operations it awaits there resume inline on the thread that
    ends them. Inside an \c AsyncOperation body, a canceled body throws \c OperationCanceled when it
    resumes (A14).

    Always suspends, even on a pool thread. Awaiting coroutines (A12), completed handlers given a
    context (A6) and the command that started the body (C12) still see its end on their own threads;
    a completed handler without a context runs on the pool thread. Hop back with \c resumeOn() when
    the body itself must touch GUI-thread objects again.
*/
[[nodiscard]] inline detail::BackgroundAwaiter resumeBackground(QThreadPool *pool = nullptr)
{
    return detail::BackgroundAwaiter{pool};
}

/*!
    \brief <tt>co_await resumeOn(object)</tt> resumes the body on \a object's thread, through its event
    loop (A16). Does not suspend when \a object lives on the current thread.

    If \a object is null or is destroyed before the body resumes, the \c co_await throws
    \c OperationCanceled (the operation ends Canceled unless the body catches it) instead of running on
    a dead object's thread. \c cancel() resumes the body at once, on the destroying or canceling thread,
    with the same exception (A15).
*/
[[nodiscard]] inline detail::ResumeOnAwaiter resumeOn(QObject *object)
{
    return detail::ResumeOnAwaiter(object);
}

/*!
    \brief <tt>co_await resumeAfter(duration)</tt> resumes the body after \a duration (ms precision) on
    the current thread, through its event loop (A16). The wait is a timer of CommandKit's clock (A23):
    under a \c Testing::VirtualClock it ends when the test advances that clock. A zero or negative
    duration does not suspend; on a thread without an event loop (a QThreadPool worker, a plain \c
   std::thread) the timer runs on the main thread and the body resumes on a thread of \c threadPool(). \c
   cancel() stops and frees the timer and resumes the body at once with \c OperationCanceled (A4, A15).
    \warning Throws AsyncError{IllegalMethodCall} on a thread without an event loop when there is no
    QCoreApplication to time it.
*/
[[nodiscard]] inline detail::TimerAwaiter resumeAfter(std::chrono::milliseconds duration)
{
    return detail::TimerAwaiter(duration);
}

/*!
    \brief <tt>co_await resumeAgile(op)</tt> awaits \a op like <tt>co_await op</tt>, but resumes inline on
    the thread that ends \a op instead of the awaiting thread (A12).

    It saves the hop back when the rest of the body does not care about its thread.
    \warning Like <tt>co_await op</tt>, it rethrows what \a op's \c getResults() throws.
*/
template <typename R, typename P>
[[nodiscard]] detail::OperationAwaiter<R, P> resumeAgile(const AsyncOperation<R, P> &op)
{
    return detail::OperationAwaiter<R, P>(detail::StateAccess::state(op).get(), true, true);
}

} // namespace CommandKit
