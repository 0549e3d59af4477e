// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QFuture>

#include <type_traits>

#include "commandkit/asyncoperation.h"
#include "commandkit/interop.h"

namespace CommandKit::detail {

/*!
    \internal
    What a delegate may return (C5) and the operation type its run is: an AsyncOperation is the run
    itself; a QFuture or a QCoro::Task is awaited by a small adapter coroutine, whose operation is the run.
*/
template <typename T>
struct AsyncResultTraits : std::false_type
{};
template <typename R, typename P>
struct AsyncResultTraits<AsyncOperation<R, P>> : std::true_type
{
    using Result = R;
    using Progress = P;
    static constexpr bool stoppable = true;
};
template <typename R>
struct AsyncResultTraits<QFuture<R>> : std::true_type
{
    using Result = R;
    using Progress = void;
    static constexpr bool stoppable = true; // QFuture::cancel()
    static AsyncOperation<R> adapt(QFuture<R> future)
    {
        if constexpr (std::is_void_v<R>)
            co_await std::move(future);
        else
            co_return co_await std::move(future);
    }
};
template <typename R>
struct AsyncResultTraits<QCoro::Task<R>> : std::true_type
{
    using Result = R;
    using Progress = void;
    static constexpr bool stoppable = false; // QCoro cannot cancel a task; only a stop_token can stop it
    static AsyncOperation<R> adapt(QCoro::Task<R> task)
    {
        if constexpr (std::is_void_v<R>)
            co_await std::move(task);
        else
            co_return co_await std::move(task);
    }
};

} // namespace CommandKit::detail
