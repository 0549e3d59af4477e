// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QThreadPool>

#include <coroutine>

#include "commandkit/commandkit_export.h"

namespace CommandKit::detail {

/*! \internal The pool resumeBackground() and the timers' pool resumptions use (A16); never null. */
COMMANDKIT_EXPORT QThreadPool *backgroundPool() noexcept;

/*! \internal Starts \a handle's resumption on \a pool (a hand-off ThreadSanitizer must be told about). */
COMMANDKIT_EXPORT void resumeOnPool(QThreadPool *pool, std::coroutine_handle<> handle);

/*! \internal resumeBackground(): hands the coroutine to a QThreadPool, CommandKit's own by default. */
struct BackgroundAwaiter
{
    QThreadPool *pool;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) const
    {
        resumeOnPool(pool ? pool : backgroundPool(), handle);
    }
    void await_resume() const noexcept {}
};

} // namespace CommandKit::detail
