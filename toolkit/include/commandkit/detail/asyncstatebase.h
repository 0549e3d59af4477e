// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QVariant>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include "commandkit/asyncstatus.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/errors.h"

namespace CommandKit::detail {

/*!
    \internal
    Something to run once when an operation ends: an awaiting coroutine, a command's bookkeeping.
    Nodes are intrusive so that awaiting needs no allocation; the registrant keeps a node alive
    until it has run.
*/
struct Continuation
{
    Continuation *next = nullptr;
    /*! Runs the continuation, once, outside the state's locks. */
    virtual void resume() noexcept = 0;

protected:
    ~Continuation() = default;
};

/*! \internal A heap continuation that runs \c F once and deletes itself. */
template <typename F>
struct OwnedContinuation final : Continuation
{
    explicit OwnedContinuation(F f)
        : m_f(std::move(f))
    {}
    void resume() noexcept override
    {
        m_f();
        delete this;
    }
    F m_f;
};

/*!
    \internal
    The shared state of one operation, whatever its result and progress types: status machine, id,
    error, cancellation, the completed handler, continuations and waiters. \c AsyncState<R, P>
    adds the result and \c ProgressState<P> the progress. Status transitions happen under m_mutex in
    cancel() and finish() only; m_status is atomic so that readers need no lock.
*/
class COMMANDKIT_EXPORT AsyncStateBase : public std::enable_shared_from_this<AsyncStateBase>
{
public:
    using CompletedFn = std::function<void(AsyncStateBase &, AsyncStatus)>;

    AsyncStateBase();
    virtual ~AsyncStateBase();
    AsyncStateBase(const AsyncStateBase &) = delete;
    AsyncStateBase &operator=(const AsyncStateBase &) = delete;

    [[nodiscard]] quint64 id() const noexcept { return m_id; }
    // acquire: pairs with the release stores in finish() so a reader that sees the end sees the result.
    [[nodiscard]] AsyncStatus status() const noexcept { return m_status.load(std::memory_order_acquire); }
    [[nodiscard]] bool isRunning() const noexcept { return m_running.load(std::memory_order_acquire); }
    [[nodiscard]] bool isClosed() const noexcept { return m_closed.load(std::memory_order_acquire); }
    [[nodiscard]] bool cancellationRequested() const noexcept
    {
        return m_cancelRequested.load(std::memory_order_acquire);
    }

    /*! Throws IllegalMethodCall when closed; \a call names the member for the message. */
    void requireOpen(const char *call) const;
    /*! A8's checks before reading the result: throws unless Completed. */
    void requireResults(const char *call) const;

    [[nodiscard]] std::exception_ptr errorCode() const;
    /*! A4. Returns whether this call moved the status from Started to Canceled. */
    bool cancel() noexcept;
    void close();
    void setCompleted(ContextRef context, CompletedFn handler);
    /*! Registers \a node; false (and nothing registered) when the operation has already ended. */
    bool addContinuation(Continuation *node) noexcept;
    /*! Blocks until the end or \a timeout; A11's WrongThread check. Returns the status, Started on timeout.
     */
    AsyncStatus wait(std::optional<std::chrono::milliseconds> timeout, const char *call);

    // Cancellation token (A13) and propagation hook (A15).
    std::stop_token stopToken();
    void setCancelCallback(std::function<void()> callback);
    bool setPropagation(bool enabled);
    /*!
        Registers what cancel() must reach while the body is suspended (A15). Returns false, storing
        nothing, when cancellation was already requested with propagation on: the awaiter must then not
        suspend. Awaiters call it from await_suspend after the handle is known and before scheduling
        the resumption, so the hook never races the registration.
    */
    [[nodiscard]] bool setAwaitedCancel(std::function<void()> hook);
    void clearAwaitedCancel() noexcept;

    /*!
        Ends the operation once: \a error null means the body returned (its result already stored),
        an OperationCanceled means Canceled, anything else Error. Later calls do nothing. The caller
        holds a strong reference. Never throws; handlers' exceptions go to the unhandled-error handler.
    */
    void finish(std::exception_ptr error) noexcept;

    // Type-erased views for commands: the result and progress as QVariant.
    [[nodiscard]] virtual QVariant resultVariant() const { return {}; }
    virtual void observeProgress(ContextRef context, std::function<void(const QVariant &)> observer);

    /*! Runs \a f, passing any exception to the unhandled-error handler (A19). */
    template <typename F>
    static void invokeGuarded(F &&f, const char *where) noexcept
    {
        try {
            f();
        } catch (...) {
            reportUnhandledError(std::current_exception(), QString::fromLatin1(where));
        }
    }

protected:
    /*! Called once after the end, before handlers: flush progress due on this thread. */
    virtual void onEnded() noexcept {}
    /*! Called by close(): drop result and progress handlers. */
    virtual void onClosed() noexcept {}

private:
    void deliverCompleted(const ContextRef &context, CompletedFn handler) noexcept;

    const quint64 m_id;
    std::atomic<AsyncStatus> m_status{AsyncStatus::Started};
    std::atomic<bool> m_running{true};
    std::atomic<bool> m_closed{false};
    std::atomic<bool> m_cancelRequested{false};

    // Guards every field below; handlers are copied out and called after unlocking (A18).
    mutable std::mutex m_mutex;
    std::condition_variable m_ended;
    std::exception_ptr m_error;
    bool m_completedAssigned = false;
    CompletedFn m_completed;
    ContextRef m_completedContext;
    Continuation *m_continuations = nullptr;
    std::function<void()> m_cancelCallback;
    std::function<void()> m_awaitedCancel;
    bool m_propagate = true;
    // Created on first use: a default std::stop_source allocates, and most bodies never ask for one.
    std::stop_source m_stopSource{std::nostopstate};
};

/*!
    \internal
    Resumes \a handle on the calling thread without growing the stack (A15): called while another
    inline resumption runs on this thread, it queues \a handle for that one's loop and returns at once.
    So a chain of bodies that end one another resumes one after the other at a constant depth. Not a
    compiler's symmetric transfer: GCC makes that a tail call only when optimising.
*/
COMMANDKIT_EXPORT void resumeInline(std::coroutine_handle<> handle) noexcept;

/*!
    \internal
    A state prepared by a command before it calls its delegate, adopted by the first coroutine of the
    matching type that starts on this thread, so the command knows the run's id (C7) and observes its
    progress from the body's first line.
*/
COMMANDKIT_EXPORT void setPreparedState(std::shared_ptr<AsyncStateBase> state, const void *typeTag) noexcept;
COMMANDKIT_EXPORT std::shared_ptr<AsyncStateBase> takePreparedState(const void *typeTag) noexcept;
/*!
    \internal
    How many threads hold a prepared state now. Every coroutine's promise reads it first, so the
    thread-local look-up is paid only while a command is starting a run (P3). Relaxed: a thread reads
    its own preparation in program order; another thread's only sends it down the slow path.
*/
COMMANDKIT_EXPORT extern std::atomic<int> preparedStatesPending;

} // namespace CommandKit::detail
