// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include "commandkit/detail/onend.h"

namespace CommandKit {

template <typename R, typename P>
QFuture<R> toFuture(const AsyncOperation<R, P> &operation)
{
    auto promise = std::make_shared<QPromise<R>>();
    QFuture<R> future = promise->future();
    promise->start();
    const auto &state = detail::StateAccess::state(operation);
    if (!state)
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "toFuture() called on an empty AsyncOperation handle");
    detail::onEnd(state, [promise](detail::AsyncStateBase &ended) {
        switch (ended.status()) {
        case AsyncStatus::Completed:
            if constexpr (!std::is_void_v<R>)
                promise->addResult(static_cast<detail::AsyncState<R, P> &>(ended).result());
            break;
        case AsyncStatus::Error:
            promise->setException(ended.errorCode());
            break;
        default:
            promise->future().cancel();
            break;
        }
        promise->finish();
    });
    return future;
}

template <typename T>
AsyncOperation<T> fromFuture(QFuture<T> future)
{
    if constexpr (std::is_void_v<T>)
        co_await future;
    else
        co_return co_await future;
}

} // namespace CommandKit
