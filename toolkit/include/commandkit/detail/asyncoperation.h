// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <coroutine>
#include <memory>
#include <string>
#include <utility>

#include <QtCore/qglobal.h>

#include <QCoro/QCoroTask>

#include "commandkit/detail/contextref.h"
#include "commandkit/detail/frameblock.h"
#include "commandkit/detail/interop.h"

namespace CommandKit::detail {

/*! \internal Builds handles from states and back; the only door into AsyncOperation's state. */
struct StateAccess
{
    template <typename R, typename P>
    static const StatePtr &state(const AsyncOperation<R, P> &op) noexcept
    {
        return op.m_state;
    }
    template <typename R, typename P>
    static AsyncOperation<R, P> make(StatePtr state) noexcept
    {
        return AsyncOperation<R, P>(std::move(state));
    }
};

/*! \internal An awaiter that never suspends and hands over a value (the tokens of A13). */
template <typename T>
struct ReadyAwaiter
{
    T value;
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    T await_resume() { return std::move(value); }
};

/*!
    \internal
    Awaits an operation (A12): registers itself as a continuation and resumes the awaiting coroutine
    on the thread it awaited from, or inline where that thread has no event loop or \c agile is set.
    Inside an AsyncOperation body, attach() passes the outer cancel() on to the awaited one (A15).
*/
template <typename R, typename P>
class OperationAwaiter final : private Continuation
{
public:
    /*!
        Borrows \a state when made by \c operator \c co_await: the awaited handle outlives the co_await
        expression. An awaiter that may be kept longer (resumeAgile()) passes \a own.
    */
    OperationAwaiter(AsyncStateBase *state, bool agile, bool own = false) noexcept
        : m_state(state)
        , m_agile(agile)
        , m_owned(own)
    {
        if (own)
            state->addRef();
    }
    OperationAwaiter(OperationAwaiter &&other) noexcept
        : m_state(other.m_state)
        , m_agile(other.m_agile)
        , m_owned(std::exchange(other.m_owned, false))
    {}
    OperationAwaiter(const OperationAwaiter &) = delete;
    OperationAwaiter &operator=(const OperationAwaiter &) = delete;
    ~OperationAwaiter()
    {
        if (m_suspended)
            std::destroy_at(&m_context);
        if (m_owned)
            m_state->release();
    }

    bool await_ready() const noexcept { return !m_state->isRunning(); }

    bool await_suspend(std::coroutine_handle<> handle)
    {
        // What only a suspension needs is set up here, not when the awaiter is made (P3).
        m_handle = handle.address();
        new (&m_context) ContextRef(m_agile ? ContextRef() : currentThreadContext());
        m_suspended = true;
        // A reference of its own: the handle awaited may be reassigned while this one waits.
        if (!std::exchange(m_owned, true))
            m_state->addRef();
        if (m_outer && !m_outer->setAwaitedCancel([inner = StatePtr::retain(m_state)] { inner->cancel(); }))
            m_state->cancel(); // the outer body was canceled before it could suspend (A15)
        // Not registered means it ended in between: go on without suspending. After a successful
        // registration another thread may resume and destroy this awaiter: touch nothing.
        return m_state->addContinuation(this);
    }

    // getResults() without building a handle (P3).
    R await_resume() const
    {
        auto &state = static_cast<AsyncState<R, P> &>(*m_state);
        state.requireResults("co_await");
        if constexpr (!std::is_void_v<R>)
            return state.result();
    }

    /*! The body whose cancel() reaches this awaited operation (A15). */
    void setOuter(AsyncStateBase *outer) noexcept { m_outer = outer; }

private:
    void resume() noexcept override
    {
        const auto handle = std::coroutine_handle<>::from_address(m_handle);
        if (!m_context.isSet() || m_context.isCurrentThread()) {
            resumeInline(handle);
            return;
        }
        // If the awaiting thread is gone there is nowhere to resume; the frame is left suspended.
        m_context.post([handle] { handle.resume(); });
    }

    AsyncStateBase *m_state;
    AsyncStateBase *m_outer = nullptr;
    void *m_handle; // set by await_suspend
    union
    {
        ContextRef m_context; // built by await_suspend: an await that does not suspend never pays for it
    };
    bool m_agile;
    bool m_owned;
    bool m_suspended = false;
};

/*!
    \internal
    The awaiter of anything a body awaits (A17): a QFuture (our own awaiter, cancelable), a type with a
    member or free operator co_await (AsyncOperation, QCoro::Task, qCoro(signal)), one of QCoro's
    awaitable Qt types (QTimer, QNetworkReply, QProcess, ...), or an awaiter itself.
*/
template <typename A>
auto getAwaiter(A &&awaitable)
{
    using D = std::remove_cvref_t<A>;
    if constexpr (IsQFuture<D>::value)
        return FutureAwaiter<typename IsQFuture<D>::Result>(std::forward<A>(awaitable));
    else if constexpr (requires { std::forward<A>(awaitable).operator co_await(); })
        return std::forward<A>(awaitable).operator co_await();
    else if constexpr (requires { operator co_await(std::forward<A>(awaitable)); })
        return operator co_await(std::forward<A>(awaitable));
    else if constexpr (requires { typename QCoro::detail::awaiter_type<D>::type; })
        return QCoro::detail::awaiter_type_t<D>{std::forward<A>(awaitable)};
    else
        return D(std::forward<A>(awaitable));
}

[[noreturn]] COMMANDKIT_EXPORT void throwCanceledAtAwait(quint64 id);

/*!
    \internal
    Wraps every co_await of a body (A14): checks for cancellation before suspending and, while
    propagation is on, after resuming, so a canceled body never runs the code after its next co_await.
   Awaiters that can be canceled expose setOuter(state) and receive the body's cancel() while suspended (A15).
*/
template <typename Inner>
struct CancelCheckAwaiter
{
    Inner inner;
    AsyncStateBase *state;
    bool propagating = false;

    bool await_ready() { return inner.await_ready(); }

    template <typename Handle>
    auto await_suspend(Handle handle)
    {
        if constexpr (requires { inner.setOuter(state); }) {
            inner.setOuter(state);
            propagating = true;
        }
        return inner.await_suspend(handle);
    }

    decltype(auto) await_resume()
    {
        // Only an awaiter that got as far as await_suspend can have registered a hook.
        if (propagating)
            state->clearAwaitedCancel();
        // A14: with propagation off, the await that was in progress when cancel() came completes
        // normally; only the next co_await throws (await_transform's check).
        if (state->cancellationRequested() && state->propagates())
            throwCanceledAtAwait(state->id());
        return inner.await_resume();
    }
};

template <typename Promise>
struct FinalAwaiter
{
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<Promise> handle) const noexcept
    {
        Promise &promise = handle.promise();
        AsyncStateBase *const state = std::exchange(promise.m_state, nullptr);
        std::exception_ptr error = std::move(promise.m_error);
        // A5: the frame, with the body's locals and parameters, is gone before anyone hears of the end.
        handle.destroy();
        // Awaiters resuming inline go through resumeInline(): deep chains don't grow the stack (A15).
        state->finishAndRelease(std::move(error));
    }
    void await_resume() const noexcept {}
};

/*!
    \internal
    What AsyncPromise shares between its void and non-void result forms. The state lives in the
    frame's heap block (P3: one allocation per operation); FrameBlock owns that memory and documents
    how. The frame's locals and parameters are still destroyed at the body's end (A5); only the
    memory waits for the handles.
*/
template <typename R, typename P>
class AsyncPromiseBase
{
public:
    using State = AsyncState<R, P>;
    using Block = FrameBlock<State>;

    AsyncPromiseBase() = default;
    AsyncPromiseBase(const AsyncPromiseBase &) = delete;
    AsyncPromiseBase &operator=(const AsyncPromiseBase &) = delete;
    ~AsyncPromiseBase()
    {
        // Set only when something else destroys the suspended frame before its end (a foreign
        // scheduler; never CommandKit itself): the operation ends Canceled so no waiter hangs (A3).
        if (m_state)
            abandon();
    }

    // Not inlined: GCC would pair the ::operator new inside one with the other and warn
    // (-Wmismatched-new-delete), although they are this class's own pair. Qt's Q_NEVER_INLINE is
    // __attribute__((noinline)) on GCC and Clang and __declspec(noinline) on MSVC.
    Q_NEVER_INLINE static void *operator new(std::size_t size) { return Block::allocate(size); }
    Q_NEVER_INLINE static void operator delete(void *frame) noexcept { Block::release(frame); }

    AsyncOperation<R, P> get_return_object()
    {
        auto &promise = static_cast<AsyncPromise<R, P> &>(*this);
        void *const frame = std::coroutine_handle<AsyncPromise<R, P>>::from_promise(promise).address();
        m_state = Block::buildState(frame, 2, m_sharesBlock);
        return StateAccess::make<R, P>(StatePtr::adopt(m_state));
    }

    // A1: hot start.
    std::suspend_never initial_suspend() const noexcept { return {}; }
    FinalAwaiter<AsyncPromise<R, P>> final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { m_error = std::current_exception(); }

    ReadyAwaiter<CancellationToken> await_transform(CancellationTokenTag)
    {
        return {TokenAccess::make(StatePtr::retain(m_state))};
    }

    ReadyAwaiter<ProgressToken<P>> await_transform(ProgressTokenTag) requires(!std::is_void_v<P>)
    {
        return {ProgressToken<P>(StateRef<ProgressState<P>>::retain(m_state))};
    }

    template <typename A>
    auto await_transform(A &&awaitable)
    {
        if (m_state->cancellationRequested())
            throwCanceledAtAwait(m_state->id());
        using Inner = decltype(getAwaiter(std::forward<A>(awaitable)));
        return CancelCheckAwaiter<Inner>{getAwaiter(std::forward<A>(awaitable)), m_state};
    }

    // The frame's own reference, dropped at the end by FinalAwaiter.
    State *m_state = nullptr;
    std::exception_ptr m_error;
    // Whether the state lives in this frame's block.
    bool m_sharesBlock = false;

private:
    void abandon() noexcept
    {
        State *const state = m_state;
        state->finish(std::make_exception_ptr(OperationCanceled("operation " + std::to_string(state->id()) +
                                                                " was destroyed before its body ended")));
        if (!m_sharesBlock) {
            state->release();
            return;
        }
        auto &promise = static_cast<AsyncPromise<R, P> &>(*this);
        Block::releaseEarly(state,
                            std::coroutine_handle<AsyncPromise<R, P>>::from_promise(promise).address());
    }
};

template <typename R, typename P>
class AsyncPromise final : public AsyncPromiseBase<R, P>
{
public:
    template <typename U = R>
    requires std::is_convertible_v<U &&, R>
    void return_value(U &&value) { this->m_state->setResult(std::forward<U>(value)); }
};

template <typename P>
class AsyncPromise<void, P> final : public AsyncPromiseBase<void, P>
{
public:
    void return_void() const noexcept {}
};

} // namespace CommandKit::detail

namespace CommandKit {

template <typename TResult, typename TProgress>
detail::AsyncStateBase &AsyncOperation<TResult, TProgress>::base(const char *call) const
{
    if (!m_state) {
        throw AsyncError(AsyncError::IllegalMethodCall,
                         std::string("AsyncOperation::") + call + " called on an empty handle");
    }
    return *m_state;
}

template <typename TResult, typename TProgress>
typename AsyncOperation<TResult, TProgress>::State &
AsyncOperation<TResult, TProgress>::typed(const char *call) const
{
    return static_cast<State &>(base(call));
}

template <typename TResult, typename TProgress>
quint64 AsyncOperation<TResult, TProgress>::id() const
{
    return base("id()").id();
}

template <typename TResult, typename TProgress>
AsyncStatus AsyncOperation<TResult, TProgress>::status() const
{
    auto &state = base("status()");
    state.requireOpen("status()");
    return state.status();
}

template <typename TResult, typename TProgress>
bool AsyncOperation<TResult, TProgress>::isRunning() const
{
    auto &state = base("isRunning()");
    state.requireOpen("isRunning()");
    return state.isRunning();
}

template <typename TResult, typename TProgress>
std::exception_ptr AsyncOperation<TResult, TProgress>::errorCode() const
{
    auto &state = base("errorCode()");
    state.requireOpen("errorCode()");
    return state.errorCode();
}

template <typename TResult, typename TProgress>
QString AsyncOperation<TResult, TProgress>::errorString() const
{
    auto &state = base("errorString()");
    state.requireOpen("errorString()");
    return errorMessage(state.errorCode());
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::cancel() const
{
    base("cancel()").cancel();
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::close() const
{
    base("close()").close();
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setCompleted(CompletedHandler handler) const
{
    installCompleted(false, nullptr, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setCompleted(QObject *context, CompletedHandler handler) const
{
    installCompleted(true, context, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::installCompleted(bool withContext, QObject *context,
                                                          CompletedHandler handler) const
{
    auto &state = base("setCompleted()");
    state.requireOpen("setCompleted()");
    if (withContext && !context)
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "AsyncOperation::setCompleted() called with a null context");
    detail::AsyncStateBase::CompletedFn fn;
    if (handler) {
        fn = [handler = std::move(handler)](detail::AsyncStateBase &s, AsyncStatus status) {
            handler(AsyncOperation(detail::StatePtr::retain(&s)), status);
        };
    }
    state.setCompleted(withContext ? detail::ContextRef(context) : detail::ContextRef(), std::move(fn));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setProgress(ProgressHandler handler) const
    requires(!std::is_void_v<TProgress>)
{
    installProgress(false, nullptr, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setProgress(QObject *context, ProgressHandler handler) const
    requires(!std::is_void_v<TProgress>)
{
    installProgress(true, context, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::installProgress(bool withContext, QObject *context,
                                                         ProgressHandler handler) const
{
    auto &state = typed("setProgress()");
    state.requireOpen("setProgress()");
    if (withContext && !context)
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "AsyncOperation::setProgress() called with a null context");
    typename detail::ProgressState<TProgress>::Handler fn;
    if (handler) {
        fn = [handler = std::move(handler)](detail::ProgressState<TProgress> &s, const TProgress &value) {
            handler(AsyncOperation(detail::StatePtr::retain(&s)), value);
        };
    }
    state.setHandler(withContext ? detail::ContextRef(context) : detail::ContextRef(), std::move(fn));
}

template <typename TResult, typename TProgress>
TResult AsyncOperation<TResult, TProgress>::getResults() const
{
    auto &state = typed("getResults()");
    state.requireResults("getResults()");
    if constexpr (!std::is_void_v<TResult>)
        return state.result();
}

template <typename TResult, typename TProgress>
TResult AsyncOperation<TResult, TProgress>::get() const
{
    base("get()").wait(std::nullopt, "get()");
    return getResults();
}

template <typename TResult, typename TProgress>
AsyncStatus AsyncOperation<TResult, TProgress>::waitFor(std::chrono::milliseconds timeout) const
{
    return base("waitFor()").wait(timeout, "waitFor()");
}

template <typename TResult, typename TProgress>
detail::OperationAwaiter<TResult, TProgress> AsyncOperation<TResult, TProgress>::operator co_await() const
{
    base("co_await").requireOpen("co_await");
    return detail::OperationAwaiter<TResult, TProgress>(m_state.get(), false);
}

} // namespace CommandKit
