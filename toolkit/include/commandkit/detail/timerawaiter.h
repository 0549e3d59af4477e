// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <chrono>
#include <coroutine>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/cancelablewait.h"

namespace CommandKit::detail {

/*!
    \internal
    resumeAfter(duration): a call of CommandKit's clock (A23) on this thread, or on the main thread for
    a thread without an event loop (the body then resumes on the pool). The first of the timeout and
    cancel() resumes; a cancel also cancels the clock's call, which frees its timer (A15).
*/
class COMMANDKIT_EXPORT TimerAwaiter : public CancelableWait
{
public:
    explicit TimerAwaiter(std::chrono::milliseconds duration)
        : m_duration(duration)
    {}
    bool await_ready() const noexcept { return m_duration.count() <= 0; }
    bool await_suspend(std::coroutine_handle<> handle);
    void await_resume() const;

private:
    std::chrono::milliseconds m_duration;
};

} // namespace CommandKit::detail
