// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <utility>

#include "commandkit/detail/continuation.h"

namespace CommandKit::detail {

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

} // namespace CommandKit::detail
