// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <atomic>
#include <coroutine>
#include <functional>

namespace CommandKit::detail {

/*!
    \internal
    One suspension that may be ended by whichever comes first: the awaited event, or the target's
    destruction / the body's cancel(). The first to arrive resumes; the flag makes the rest no-ops.
*/
struct ResumeOnce
{
    std::atomic<bool> done{false};
    std::atomic<bool> canceled{false};
    std::coroutine_handle<> handle;
    /*! Set before the suspension is published; run by a cancel that wins, before the body resumes. */
    std::function<void()> onCancel;

    /*! Whether this caller is the first to arrive, and so the one that must resume. */
    bool claim(bool cancel) noexcept
    {
        // acq_rel: the winner must see the handle stored before the race began.
        if (done.exchange(true, std::memory_order_acq_rel))
            return false;
        canceled.store(cancel, std::memory_order_relaxed);
        return true;
    }

    void resume(bool cancel)
    {
        if (!claim(cancel))
            return;
        if (cancel && onCancel)
            onCancel();
        handle.resume();
    }
};

} // namespace CommandKit::detail
