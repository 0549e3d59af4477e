// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <optional>
#include <utility>

#include "commandkit/detail/progressstate.h"

namespace CommandKit::detail {

/*! \internal The full state of an \c AsyncOperation<R, P>: progress plus the result. */
template <typename R, typename P>
class AsyncState final : public ProgressState<P>
{
public:
    using ProgressState<P>::ProgressState;

    /*! Stores the result; called by the body before finish(). */
    template <typename U>
    void setResult(U &&value)
    {
        m_result.emplace(std::forward<U>(value));
    }
    /*! The result; the caller has checked requireResults(). */
    [[nodiscard]] const R &result() const { return *m_result; }
    /*! Whether a result is stored (false before the end, after close(), and for a failed body). */
    [[nodiscard]] bool hasResult() const noexcept { return m_result.has_value(); }

protected:
    void onClosed() noexcept override
    {
        ProgressState<P>::onClosed();
        m_result.reset();
    }

private:
    std::optional<R> m_result;
};

/*! \internal No result: a state whose end is all there is to know. */
template <typename P>
class AsyncState<void, P> final : public ProgressState<P>
{
public:
    using ProgressState<P>::ProgressState;
};

} // namespace CommandKit::detail
