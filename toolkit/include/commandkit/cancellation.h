// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <stop_token>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/stateref.h"

namespace CommandKit {

namespace detail {
class AsyncStateBase;
struct CancellationTokenTag
{};
struct TokenAccess;
} // namespace detail

/*!
    \brief The cancellation token of a running body (design.md A13).

    Obtained inside an \c AsyncOperation coroutine with <tt>co_await getCancellationToken()</tt>, which
    never suspends. A cheap, copyable handle: a copy that outlives the body stays safe and answers the
    final state. A default-constructed token is never requested.
    \note Every member is thread-safe.
*/
class COMMANDKIT_EXPORT CancellationToken
{
public:
    /*! \brief An empty token: never requested, callbacks never run. */
    CancellationToken() = default;

    /*!
        \brief Whether \c cancel() was requested on the operation (it stays true after the end).

        A body that loops without awaiting polls it, because only a \c co_await checks for cancellation
        by itself (A14). Lock-free and \c noexcept, cheap enough for every iteration; any thread.
    */
    [[nodiscard]] bool operator()() const noexcept;

    /*!
        \brief A \c std::stop_token that is stopped when cancellation is requested, for code that
        takes one (\c std::jthread, \c std::stop_callback, a worker loop). Stopped at once if
        cancellation was already requested.

        A default-constructed token gives a \c std::stop_token that can never be stopped. Any thread.
    */
    [[nodiscard]] std::stop_token stopToken() const;

    /*!
        \brief Sets the one cancellation callback, replacing an earlier one; \c nullptr clears it.

        The callback runs synchronously inside \c cancel(), on the canceling thread; registered after
        the request, it runs at once inside this call. An exception it throws goes to the
        unhandled-error handler (A19).

        Use it to stop work the body does not await, such as a \c QNetworkReply or a child process;
        it runs at most once, and the callback must be thread-safe because \c cancel() may come from
        any thread. On a default-constructed token it does nothing.
    */
    void callback(std::function<void()> callback) const;

    /*!
        \brief Turns propagation of \c cancel() into what the body awaits on or off (A15); returns the
        previous setting. The default is on.

        With \a enable false, \c cancel() no longer reaches the operation, \c QFuture or timer the body
        is awaiting, which then runs to its own end; the body still learns of the request at a
        \c co_await (A14). Turn it off around work that must finish once started, such as a write
        that may not be cut short. A default-constructed token answers true and changes nothing.
        Any thread.
    */
    bool enablePropagation(bool enable) const;

private:
    friend struct detail::TokenAccess;
    explicit CancellationToken(detail::StateRef<detail::AsyncStateBase> state)
        : m_state(std::move(state))
    {}

    detail::StateRef<detail::AsyncStateBase> m_state;
};

/*!
    \brief Inside an \c AsyncOperation body, <tt>co_await getCancellationToken()</tt> gives the body's
    \c CancellationToken without suspending and without the auto-cancel check of A14.

    The returned tag is only meaningful to the \c co_await of an \c AsyncOperation body; a body that
    has already been canceled still gets its token this way, so it can clean up.
*/
[[nodiscard]] inline detail::CancellationTokenTag getCancellationToken() noexcept
{
    return {};
}

/*! \internal Lets the promise build tokens; not API. */
struct detail::TokenAccess
{
    static CancellationToken make(detail::StateRef<detail::AsyncStateBase> state)
    {
        return CancellationToken(std::move(state));
    }
};

} // namespace CommandKit
