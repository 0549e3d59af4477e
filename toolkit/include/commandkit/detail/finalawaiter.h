// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

#include "commandkit/detail/asyncstatebase.h"
#include <coroutine>
#include <exception>
#include <utility>

namespace CommandKit::detail {

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

} // namespace CommandKit::detail
