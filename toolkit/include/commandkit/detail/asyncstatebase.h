// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

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
#include "commandkit/detail/continuation.h"
#include "commandkit/detail/ownedcontinuation.h"
#include "commandkit/errors.h"

namespace CommandKit::detail {

/*! \internal The id of the next operation (A2); inline in the state's constructor (P3). */
COMMANDKIT_EXPORT extern std::atomic<quint64> nextOperationId;

/*!
    \internal
    The shared state of one operation, whatever its result and progress types: status machine, id,
    error, cancellation, the completed handler, continuations and waiters. \c AsyncState<R, P>
    adds the result and \c ProgressState<P> the progress.

    One atomic word holds the status, whether the body runs, whether anything waits for the end
    ("watched": a completed handler, continuations, waiters, callbacks, progress handlers) and the
    reference count. A body that ends unwatched ends with one compare-and-swap that also drops the
    frame's reference (P3); a watched end, cancel() and every registration take m_mutex, and
    registrations set the watched bit under it, so the lock-free end and a registration never miss
    each other. Handlers are copied out under the lock and called outside it (A18).
*/
class COMMANDKIT_EXPORT AsyncStateBase
{
public:
    using CompletedFn = std::function<void(AsyncStateBase &, AsyncStatus)>;

    /*!
        \a references is how many owners the new state starts with (a coroutine's frame and the
        handle it returns: 2); \a block, when set, is the heap block the state was built in, shared
        with the coroutine's frame and freed with the state (FrameBlock tells the whole story).
    */
    explicit AsyncStateBase(quint64 references = 1, void *block = nullptr) noexcept
        // relaxed: ids only need to be unique and increasing, they order nothing else.
        : m_id(nextOperationId.fetch_add(1, std::memory_order_relaxed))
        , m_word(quint64(AsyncStatus::Started) | RunningBit | (references << RefShift))
        , m_block(block)
    {}
    virtual ~AsyncStateBase() = default;
    AsyncStateBase(const AsyncStateBase &) = delete;
    AsyncStateBase &operator=(const AsyncStateBase &) = delete;

    [[nodiscard]] quint64 id() const noexcept { return m_id; }
    // acquire: pairs with the release of the end's compare-and-swap, so a reader that sees the end
    // sees the result.
    [[nodiscard]] AsyncStatus status() const noexcept
    {
        return AsyncStatus(m_word.load(std::memory_order_acquire) & StatusMask);
    }
    [[nodiscard]] bool isRunning() const noexcept
    {
        return (m_word.load(std::memory_order_acquire) & RunningBit) != 0;
    }
    [[nodiscard]] bool isClosed() const noexcept { return m_closed.load(std::memory_order_acquire); }
    [[nodiscard]] bool cancellationRequested() const noexcept
    {
        return m_cancelRequested.load(std::memory_order_acquire);
    }

    // Reference counting for StateRef. relaxed: a new reference is made from one the caller holds.
    void addRef() noexcept { m_word.fetch_add(RefUnit, std::memory_order_relaxed); }
    void release() noexcept
    {
        // The only owner needs no atomic write: nobody else can reach the state any more. acquire:
        // sees every write the other owners made before they let go.
        if ((m_word.load(std::memory_order_acquire) >> RefShift) != 1 &&
            (m_word.fetch_sub(RefUnit, std::memory_order_acq_rel) >> RefShift) != 1)
            return;
        destroy();
    }

    /*!
        release() by a coroutine frame that shares the state's block and is destroyed before its end:
        a state that loses its last reference here is destroyed but its block is not freed (the frame's
        operator delete does it). Returns whether that happened.
    */
    bool releaseInPlace() noexcept
    {
        if ((m_word.fetch_sub(RefUnit, std::memory_order_acq_rel) >> RefShift) != 1)
            return false;
        this->~AsyncStateBase();
        return true;
    }

    /*! Throws IllegalMethodCall when closed; \a call names the member for the message. */
    void requireOpen(const char *call) const
    {
        if (isClosed())
            throwClosed(call);
    }
    /*! A8's checks before reading the result: throws unless Completed. */
    void requireResults(const char *call) const
    {
        const AsyncStatus observed = status();
        if (observed != AsyncStatus::Completed || isClosed())
            throwForResults(call, observed);
    }

    [[nodiscard]] std::exception_ptr errorCode() const;
    /*! A4. Returns whether this call moved the status from Started to Canceled. */
    bool cancel() noexcept;
    void close();
    void setCompleted(ContextRef context, CompletedFn handler);
    /*!
        One observer of the end besides the completed handler (A6), for whoever watches the operation
        from outside (a command, C7): \a observer runs once at the end, after the completed handler and
        before continuations: at once when \a context lives on the ending thread, else posted there, and
        never after \a context is destroyed. Set after the end, it is delivered the same way at once.
        Kept in the state, so watching an end costs no allocation (P2). There is one such slot: when
        another observer holds it, nothing is taken from \a observer and false is returned (then use a
        continuation, onEnd()).
    */
    bool observeEnd(ContextRef context, std::function<void()> &observer);
    /*! Registers \a node; false (and nothing registered) when the operation has already ended. */
    bool addContinuation(Continuation *node) noexcept;
    /*! Blocks until the end or \a timeout; A11's WrongThread check. Returns the status, Started on timeout.
     */
    AsyncStatus wait(std::optional<std::chrono::milliseconds> timeout, const char *call);

    // Cancellation token (A13) and propagation hook (A15).
    std::stop_token stopToken();
    /*!
        Makes \a source the operation's stop source, so that cancel() requests it (A13): a command
        gives its run's, the one its delegate's \c std::stop_token comes from. Returns false, changing
        nothing, when the operation has a source of its own already (its body asked for its token).
    */
    bool shareStopSource(const std::stop_source &source);
    void setCancelCallback(std::function<void()> callback);
    bool setPropagation(bool enabled);
    /*! Whether cancel() reaches the awaited work now (A13, A15). */
    [[nodiscard]] bool propagates() const;
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
    /*!
        The end of a coroutine body: finish(\a error), then drops the frame's reference. Without an
        error and unwatched it is one compare-and-swap, without the lock.
    */
    void finishAndRelease(std::exception_ptr error) noexcept
    {
        if (!error) {
            quint64 word = m_word.load(std::memory_order_relaxed);
            while ((word & (RunningBit | WatchedBit)) == RunningBit) {
                const quint64 status = (word & StatusMask) == quint64(AsyncStatus::Started)
                                           ? quint64(AsyncStatus::Completed)
                                           : (word & StatusMask);
                const quint64 ended = ((word & ~(StatusMask | RunningBit)) | status) - RefUnit;
                // release: publishes the result; acquire: if this drops the last reference, see the others'.
                if (m_word.compare_exchange_weak(word, ended, std::memory_order_acq_rel,
                                                 std::memory_order_relaxed)) {
                    if ((ended >> RefShift) == 0)
                        destroy();
                    return;
                }
            }
        }
        finish(std::move(error));
        release();
    }

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
    /*! Makes the end take the locked path; returns whether the body was still running. */
    bool watch() noexcept
    {
        return (m_word.fetch_or(WatchedBit, std::memory_order_acq_rel) & RunningBit) != 0;
    }

private:
    static constexpr quint64 StatusMask = 0x3;
    static constexpr quint64 RunningBit = 0x4;
    static constexpr quint64 WatchedBit = 0x8;
    static constexpr int RefShift = 8;
    static constexpr quint64 RefUnit = quint64(1) << RefShift;

    void destroy() noexcept
    {
        void *const block = m_block;
        if (!block) {
            delete this;
            return;
        }
        // Built in a coroutine frame's block (FrameBlock): the frame is gone, free the block.
        this->~AsyncStateBase();
        ::operator delete(block);
    }
    [[noreturn]] void throwForResults(const char *call, AsyncStatus observed) const;
    [[noreturn]] void throwClosed(const char *call) const;
    void deliverCompleted(const ContextRef &context, CompletedFn handler) noexcept;
    /*! Runs \a call at once when \a context is unset or lives on this thread, else posts it there. */
    template <typename F>
    static void deliverOn(const ContextRef &context, F &&call, const char *where) noexcept;
    /*! Under m_mutex: moves the status word from Started (or Canceled) to \a status, keeping the rest. */
    void setStatusLocked(AsyncStatus status, bool ended) noexcept;

    const quint64 m_id;
    std::atomic<quint64> m_word;
    void *const m_block;
    std::atomic<bool> m_closed{false};
    std::atomic<bool> m_cancelRequested{false};

    // Guards every field below; handlers are copied out and called after unlocking (A18).
    mutable std::mutex m_mutex;
    // Made by the first waiter: most operations are never waited for.
    std::unique_ptr<std::condition_variable> m_ended;
    std::exception_ptr m_error;
    bool m_completedAssigned = false;
    CompletedFn m_completed;
    ContextRef m_completedContext;
    Continuation *m_continuations = nullptr;
    std::function<void()> m_endObserver;
    ContextRef m_endContext;
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

} // namespace CommandKit::detail
