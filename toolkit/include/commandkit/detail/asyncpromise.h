// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

#include <QtCore/qglobal.h>

#include <coroutine>
#include <exception>
#include <string>
#include <utility>

#include "commandkit/detail/cancelcheckawaiter.h"
#include "commandkit/detail/finalawaiter.h"
#include "commandkit/detail/frameblock.h"
#include "commandkit/detail/futureawaiter.h"
#include "commandkit/detail/isqfuture.h"
#include "commandkit/detail/readyawaiter.h"
#include "commandkit/detail/stateaccess.h"

namespace CommandKit::detail {

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
        // The frame's parameters are destroyed after this promise and may hold the last handle: the
        // frame's reference goes in operator delete, when nothing of the frame is left (FrameBlock).
        auto &promise = static_cast<AsyncPromise<R, P> &>(*this);
        Block::abandon(std::coroutine_handle<AsyncPromise<R, P>>::from_promise(promise).address());
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
