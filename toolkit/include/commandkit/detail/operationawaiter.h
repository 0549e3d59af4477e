// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

#include "commandkit/detail/asyncstate.h"
#include "commandkit/detail/contextref.h"
#include <coroutine>
#include <utility>

namespace CommandKit::detail {

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

} // namespace CommandKit::detail
