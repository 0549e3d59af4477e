// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

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

} // namespace CommandKit::detail
