// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <coroutine>
#include <functional>
#include <memory>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/asyncstatebase.h"
#include "commandkit/detail/resumeonce.h"

namespace CommandKit::detail {

/*!
    \internal
    The part of resumeOn() and resumeAfter() that is the same: a ResumeOnce, and the outer body's
    cancel() registered to end the wait at once (A15).
*/
class COMMANDKIT_EXPORT CancelableWait
{
public:
    void setOuter(AsyncStateBase *outer) noexcept { m_outer = outer; }

protected:
    /*!
        Stores the handle and registers the cancel hook; false when already canceled (don't suspend).
        \a onCancel runs on the canceling thread when a cancel wins, before the body resumes.
    */
    bool prepare(std::coroutine_handle<> handle, std::function<void()> onCancel = {});
    [[nodiscard]] bool wasCanceled() const noexcept
    {
        return m_canceledEarly || m_once->canceled.load(std::memory_order_relaxed);
    }

    std::shared_ptr<ResumeOnce> m_once = std::make_shared<ResumeOnce>();

private:
    AsyncStateBase *m_outer = nullptr;
    bool m_canceledEarly = false;
};

} // namespace CommandKit::detail
