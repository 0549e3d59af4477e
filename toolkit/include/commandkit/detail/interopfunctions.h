// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

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
    // Runs inside the state's finish(), or below while "state" is held: a raw pointer, or it would hold
    // itself.
    auto end = [ended = state.get(), promise] {
        switch (ended->status()) {
        case AsyncStatus::Completed:
            if constexpr (!std::is_void_v<R>)
                promise->addResult(static_cast<detail::AsyncState<R, P> &>(*ended).result());
            break;
        case AsyncStatus::Error:
            promise->setException(ended->errorCode());
            break;
        default:
            promise->future().cancel();
            break;
        }
        promise->finish();
    };
    auto *node = new detail::OwnedContinuation<decltype(end)>(std::move(end));
    if (!state->addContinuation(node))
        node->resume();
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
