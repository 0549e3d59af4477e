// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

#include <coroutine>

namespace CommandKit::detail {

/*! \internal An awaiter that never suspends and hands over a value (the tokens of A13). */
template <typename T>
struct ReadyAwaiter
{
    T value;
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    T await_resume() { return std::move(value); }
};

} // namespace CommandKit::detail
