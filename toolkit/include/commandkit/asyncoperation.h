// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>

#include "commandkit/asyncstatus.h"
#include "commandkit/cancellation.h"
#include "commandkit/detail/asyncstate.h"
#include "commandkit/errors.h"
#include "commandkit/progress.h"

namespace CommandKit {

template <typename TResult, typename TProgress>
class AsyncOperation;

namespace detail {
template <typename R, typename P>
class AsyncPromise;
template <typename R, typename P>
class OperationAwaiter;
struct StateAccess;
template <typename T>
struct IsOperation : std::false_type
{};
template <typename R, typename P>
struct IsOperation<AsyncOperation<R, P>> : std::true_type
{};
/*! \internal An operation of another shape that \a Action, an AsyncOperation<void, void>, can view. */
template <typename From, typename Action>
concept ViewableAs = IsOperation<From>::value && std::is_same_v<Action, AsyncOperation<void, void>> &&
    !std::is_same_v<From, Action>;
} // namespace detail

/*!
    \brief An asynchronous operation: a C++20 coroutine type and a copyable, thread-safe handle to its
    shared state, following the Windows Runtime \c IAsyncInfo contract (design.md §2, A1–A20).

    \a TResult is what the body \c co_returns (\c void for none); \a TProgress the type of progress
    reports (\c void for none). The aliases \c AsyncAction, \c AsyncActionWithProgress<P> and
    \c AsyncOperationWithProgress<T, P> name the four Windows Runtime shapes.

    \code
    CommandKit::AsyncOperation<int, double> countTo(int n)
    {
        auto progress = co_await CommandKit::getProgressToken();
        co_await CommandKit::resumeBackground();          // on with the loop on a pool thread (A16)
        for (int i = 0; i < n; ++i)
            progress(double(i) / n);
        co_return n;
    }
    \endcode

    Lifecycle: calling the coroutine runs its body synchronously up to its first real suspension (A1,
    hot start). The status (A3) leaves \c Started once: \c Completed, \c Error, or \c Canceled as soon
    as \c cancel() is called; \c isRunning() stays true until the body has unwound (A5). The completed
    handler (A6) and awaiters (A12) run after that. Dropping every handle does not stop the body.

    Memory: the body's locals and parameters are destroyed when it ends (A5). The shared state lives in
    the same heap block as the coroutine frame (one allocation per operation, P3), so that block is
    freed when the body has ended and the last handle is gone.

    A default-constructed handle is empty: every member but \c isValid() throws
    \c AsyncError{IllegalMethodCall}. After \c close() (A10) every member but \c id(), \c cancel() and
    \c close() throws \c AsyncError{IllegalMethodCall}.
    \note Every member may be called from any thread (A18). Handlers run outside internal locks.
*/
template <typename TResult = void, typename TProgress = void>
class [[nodiscard]] AsyncOperation
{
public:
    using promise_type = detail::AsyncPromise<TResult, TProgress>;
    /*! \brief What the body \c co_returns and \c getResults() gives; \c void for an action. */
    using ResultType = TResult;
    /*! \brief The type of a progress report; \c void when the operation reports none. */
    using ProgressType = TProgress;
    /*! \brief Completed handler: the operation and its final status. */
    using CompletedHandler = std::function<void(const AsyncOperation &, AsyncStatus)>;
    /*! \brief Progress handler: the operation and the reported value (only with a non-void TProgress). */
    using ProgressHandler = std::function<void(
        const AsyncOperation &, const std::conditional_t<std::is_void_v<TProgress>, int, TProgress> &)>;

    /*!
        \brief An empty handle, so an operation can be a member assigned later; every member but
        \c isValid() throws \c AsyncError{IllegalMethodCall} on it.
    */
    AsyncOperation() = default;

    /*!
        \brief Views any operation as an \c AsyncAction (only for \c AsyncOperation<void, void>): the same
        state, id and completed-handler slot, without the result and progress types.

        It lets code that only waits or cancels (\c Testing::wait(), a list of runs) take every shape.
        Setting the completed handler on the view uses up the one slot of the viewed operation (A6).
        An empty \a other gives an empty handle; never throws.
    */
    template <detail::ViewableAs<AsyncOperation> Other>
    AsyncOperation(const Other &other) noexcept // NOLINT(google-explicit-constructor)
        : m_state(other.m_state)
    {}

    /*! \brief Whether this handle refers to an operation; the only member an empty handle answers. */
    [[nodiscard]] bool isValid() const noexcept { return m_state != nullptr; }

    /*!
        \brief The id: unique in the process, never 0, increasing with creation (A2).
        \warning Throws \c AsyncError{IllegalMethodCall} on an empty handle; still answers after
        \c close(), so logs can name a closed operation.
    */
    [[nodiscard]] quint64 id() const;

    /*!
        \brief The status (A3); it leaves \c Started once and turns \c Canceled at once on \c cancel().
        \warning Throws \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    [[nodiscard]] AsyncStatus status() const;

    /*!
        \brief Whether the body is still running: true until its locals have been destroyed, also after
        \c cancel() (A5).

        This, not \c status(), tells when the body has let go of what it uses: a canceled body may
        still be unwinding.
        \warning Throws \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    [[nodiscard]] bool isRunning() const;

    /*!
        \brief The error (A9): null while Started or Completed, an \c OperationCanceled when Canceled, the
        body's own exception when Error.
        \warning Throws \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    [[nodiscard]] std::exception_ptr errorCode() const;

    /*!
        \brief \c what() of \c errorCode() as a QString (UTF-8); empty while \c errorCode() is null (A9).
        \warning Throws \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    [[nodiscard]] QString errorString() const;

    /*!
        \brief Requests cancellation (A4): a no-op unless Started. Sets the status to Canceled at once,
        runs the cancellation callback and \c std::stop_token callbacks synchronously on the calling
        thread, and cancels what the body is awaiting (A15). Never waits for the body.

        The body sees the request as \c OperationCanceled thrown from a \c co_await (A14): while its
        propagation is on, the work it is awaiting is canceled as well (A15) and that await throws; with
        propagation off, the await in progress completes normally and the next one throws. Follow
        \c isRunning() or the completed handler to know when it has stopped. After \c close() a
        no-op (A10). Any thread (A18).
        \warning Throws AsyncError{IllegalMethodCall} on an empty handle (A20), like every member but
        \c isValid().
    */
    void cancel() const;

    /*!
        \brief Frees the result and the handlers (A10). Idempotent.

        Afterwards only \c id(), \c cancel() and \c close() may be called; the rest throw
        \c AsyncError{IllegalMethodCall}.
        \warning Throws \c AsyncError{IllegalStateChange} while the body runs, even after \c cancel(),
        and \c AsyncError{IllegalMethodCall} on an empty handle.
    */
    void close() const;

    /*!
        \brief Sets the completed handler (A6), once. Set after the end, it runs at once on the calling
        thread before this returns; otherwise it runs on the thread where the body ends. A null handler
        still uses up the slot.

        The handler receives this operation and its final status; an exception it throws goes to the
        unhandled-error handler (A19). Awaiting (A12), \c get() and \c waitFor() do not use the slot.
        \warning Throws \c AsyncError{IllegalDelegateAssignment} on a second call, and
        \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    void setCompleted(CompletedHandler handler) const;

    /*!
        \brief Sets the completed handler (A6), once, delivered on \a context's thread and never after
        \a context is destroyed. After the end it runs at once when called on \a context's thread,
        otherwise it is posted there.

        This is the form for GUI code: a viewmodel passes itself as \a context and reads the result on
        its own thread, however the body hopped.
        \warning Throws \c AsyncError{IllegalDelegateAssignment} on a second call, and
        \c AsyncError{IllegalMethodCall} for a null \a context, after \c close() or on an empty handle.
    */
    void setCompleted(QObject *context, CompletedHandler handler) const;

    /*!
        \brief Sets (or replaces) the progress handler (A7); it runs synchronously on the reporting thread.

        Every report reaches it, which suits a consumer that is itself thread-safe; a null handler
        stops the reports. An exception it throws goes to the unhandled-error handler (A19).
        \warning Throws \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    void setProgress(ProgressHandler handler) const requires(!std::is_void_v<TProgress>);

    /*!
        \brief Sets (or replaces) the progress handler (A7), delivered on \a context's thread: latest value
        wins, at most one delivery pending, the last report before the end delivered before a completed
        handler of the same context, nothing after \a context is destroyed.

        A body reporting in a tight loop therefore never floods the GUI thread's event queue (P5).
        \warning Throws \c AsyncError{IllegalMethodCall} for a null \a context, after \c close() or on an
        empty handle.
    */
    void setProgress(QObject *context, ProgressHandler handler) const requires(!std::is_void_v<TProgress>);

    /*!
        \brief The result (A8), repeatable.
        \warning Throws \c AsyncError{IllegalMethodCall} while Started, after \c close() or on an empty
        handle; \c OperationCanceled when Canceled; and rethrows the body's exception when Error.
    */
    TResult getResults() const;

    /*!
        \brief Blocks the calling thread until the end and returns \c getResults() (A11). Does not use
        the completed handler; any number of threads may wait.
        \warning Throws \c AsyncError{WrongThread} on the main thread while the body runs, because the
        body may need that thread's event loop to finish (use \c CommandKit::Testing::wait() there),
        and what \c getResults() throws.
    */
    TResult get() const;

    /*!
        \brief Blocks until the end or \a timeout (ms) and returns the status; \c Started on timeout,
        meaning "not ended yet", even after \c cancel(). Never throws for Error or Canceled (A11).
        \warning Throws \c AsyncError{WrongThread} on the main thread while the body runs, and
        \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    AsyncStatus waitFor(std::chrono::milliseconds timeout) const;

    /*!
        \brief Awaiting gives \c getResults() (A12). The awaiting coroutine resumes on the thread it
        awaited from (through its event loop; a thread without one resumes inline); an operation that
        has ended does not suspend. Any number of awaiters; the completed handler is not used.

        Inside an \c AsyncOperation body, canceling the awaiting body cancels this operation too while
        propagation is on (A15). Use \c resumeAgile() to resume on the finishing thread instead.
        \warning Rethrows what \c getResults() throws when the awaiting coroutine resumes; throws
        \c AsyncError{IllegalMethodCall} after \c close() or on an empty handle.
    */
    detail::OperationAwaiter<TResult, TProgress> operator co_await() const;

    /*!
        \brief Identity: two handles are equal when they refer to the same operation (two empty handles
        are equal). Never throws.
    */
    friend bool operator==(const AsyncOperation &a, const AsyncOperation &b) noexcept
    {
        return a.m_state == b.m_state;
    }

private:
    template <typename, typename>
    friend class AsyncOperation;
    friend class detail::AsyncPromise<TResult, TProgress>;
    friend struct detail::StateAccess;
    using State = detail::AsyncState<TResult, TProgress>;

    explicit AsyncOperation(detail::StatePtr state) noexcept
        : m_state(std::move(state))
    {}
    detail::AsyncStateBase &base(const char *call) const;
    State &typed(const char *call) const;
    // The one body of each pair of setCompleted() / setProgress() overloads.
    void installCompleted(bool withContext, QObject *context, CompletedHandler handler) const;
    void installProgress(bool withContext, QObject *context, ProgressHandler handler) const;

    detail::StatePtr m_state;
};

/*! \brief An operation with neither result nor progress (Windows Runtime \c IAsyncAction). */
using AsyncAction = AsyncOperation<>;
/*! \brief An operation without a result that reports progress of type \a P. */
template <typename P>
using AsyncActionWithProgress = AsyncOperation<void, P>;
/*! \brief An operation with a result of type \a T that reports progress of type \a P. */
template <typename T, typename P>
using AsyncOperationWithProgress = AsyncOperation<T, P>;

} // namespace CommandKit

#include "commandkit/detail/asyncoperation.h"
