// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// Part of detail/asyncoperation.h, which includes it where AsyncOperation and its tokens are declared.
#pragma once

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/asyncstatebase.h"
#include <QtCore/qglobal.h>

namespace CommandKit::detail {

/*! \internal Throws the OperationCanceled of a co_await in canceled operation \a id (A14). */
[[noreturn]] COMMANDKIT_EXPORT void throwCanceledAtAwait(quint64 id);

/*!
    \internal
    Wraps every co_await of a body (A14): checks for cancellation before suspending and, while
    propagation is on, after resuming, so a canceled body never runs the code after its next co_await.
   Awaiters that can be canceled expose setOuter(state) and receive the body's cancel() while suspended (A15).
*/
template <typename Inner>
struct CancelCheckAwaiter
{
    Inner inner;
    AsyncStateBase *state;
    bool propagating = false;

    bool await_ready() { return inner.await_ready(); }

    template <typename Handle>
    auto await_suspend(Handle handle)
    {
        if constexpr (requires { inner.setOuter(state); }) {
            inner.setOuter(state);
            propagating = true;
        }
        return inner.await_suspend(handle);
    }

    decltype(auto) await_resume()
    {
        // Only an awaiter that got as far as await_suspend can have registered a hook.
        if (propagating)
            state->clearAwaitedCancel();
        // A14: with propagation off, the await that was in progress when cancel() came completes
        // normally; only the next co_await throws (await_transform's check).
        if (state->cancellationRequested() && state->propagates())
            throwCanceledAtAwait(state->id());
        return inner.await_resume();
    }
};

} // namespace CommandKit::detail
