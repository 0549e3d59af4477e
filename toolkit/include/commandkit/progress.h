// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "commandkit/detail/asyncstate.h"

namespace CommandKit {

namespace detail {
struct ProgressTokenTag
{};
} // namespace detail

/*!
    \brief The progress token of a running body whose operation has a progress type \a P (A7, A13).

    Obtained inside an \c AsyncOperation<R, P> coroutine with <tt>co_await getProgressToken()</tt>,
    which never suspends. Calling it reports a value: a handler without a context runs synchronously on
    the reporting thread; one with a context receives the latest value on the context's thread. Reports
    are accepted until the body ends, also after \c cancel(); a copy that outlives the body drops them.
    \note Thread-safe; copying is cheap.
*/
template <typename P>
class ProgressToken
{
public:
    /*! \brief An empty token: reports go nowhere. */
    ProgressToken() = default;

    /*!
        \brief Reports \a value (A7): handlers without a context run inside this call, on the calling
        thread; handlers with a context get the latest value posted to their thread.

        Any thread; a report after the body has ended, or on an empty token, is dropped. Never throws:
        a throwing handler's exception goes to the unhandled-error handler (A19).
    */
    void operator()(const P &value) const
    {
        if (m_state)
            m_state->report(value);
    }

    //! \cond internal
    /*! \internal Built by the promise; not API. */
    explicit ProgressToken(detail::StateRef<detail::ProgressState<P>> state)
        : m_state(std::move(state))
    {}
    //! \endcond

private:
    detail::StateRef<detail::ProgressState<P>> m_state;
};

/*!
    \brief Inside an \c AsyncOperation<R, P> body with a non-void \a P, <tt>co_await getProgressToken()</tt>
    gives the body's \c ProgressToken<P> without suspending.
*/
[[nodiscard]] inline detail::ProgressTokenTag getProgressToken() noexcept
{
    return {};
}

} // namespace CommandKit
