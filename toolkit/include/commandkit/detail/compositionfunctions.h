// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QFuture>
#include <QtCore/QPromise>

#include <atomic>
#include <memory>

#include "commandkit/cancellation.h"
#include "commandkit/detail/onend.h"
#include "commandkit/errors.h"

namespace CommandKit::detail {

/*! \internal A result of whenAll() over different types: \c void becomes \c std::monostate. */
template <typename R>
using WhenAllValue = std::conditional_t<std::is_void_v<R>, std::monostate, R>;

/*! \internal The state of every operation, checked: an empty handle is a misuse (A20). */
inline QList<StatePtr> statesOf(const QList<AsyncAction> &operations, const char *call)
{
    QList<StatePtr> states;
    states.reserve(operations.size());
    for (const AsyncAction &operation : operations) {
        const StatePtr &state = StateAccess::state(operation);
        if (!state)
            throw AsyncError(AsyncError::IllegalMethodCall,
                             std::string(call) + " called with an empty AsyncOperation handle");
        states.append(state);
    }
    return states;
}

/*!
    \internal A future that finishes once every one of \a operations has ended, with the index of the
    first one (in time) that did not complete, or -1. That first failure cancels the others (A21).
*/
inline QFuture<qsizetype> allEnded(const QList<AsyncAction> &operations)
{
    struct Ends
    {
        QPromise<qsizetype> promise;
        std::atomic<qsizetype> left;
        std::atomic<qsizetype> firstFailure{-1};
    };
    const QList<StatePtr> states = statesOf(operations, "whenAll()");
    auto ends = std::make_shared<Ends>();
    ends->left.store(states.size());
    ends->promise.start();
    QFuture<qsizetype> future = ends->promise.future();
    if (states.isEmpty()) {
        ends->promise.addResult(-1);
        ends->promise.finish();
        return future;
    }
    for (qsizetype i = 0; i < states.size(); ++i) {
        onEnd(states[i], [ends, operations, i](AsyncStateBase &ended) {
            if (ended.status() != AsyncStatus::Completed) {
                qsizetype none = -1;
                if (ends->firstFailure.compare_exchange_strong(none, i)) {
                    for (const AsyncAction &other : operations)
                        other.cancel();
                }
            }
            if (ends->left.fetch_sub(1) == 1) {
                ends->promise.addResult(ends->firstFailure.load());
                ends->promise.finish();
            }
        });
    }
    return future;
}

/*!
    \internal A future that finishes once the first of \a operations has ended, with its index; with
    \a losers Cancel the others are canceled then (A22).
*/
inline QFuture<qsizetype> firstEnded(const QList<AsyncAction> &operations, WhenAnyLosers losers)
{
    struct First
    {
        QPromise<qsizetype> promise;
        std::atomic<bool> done{false};
    };
    const QList<StatePtr> states = statesOf(operations, "whenAny()");
    if (states.isEmpty())
        throw AsyncError(AsyncError::IllegalMethodCall, "whenAny() called with no operation");
    auto first = std::make_shared<First>();
    first->promise.start();
    QFuture<qsizetype> future = first->promise.future();
    for (qsizetype i = 0; i < states.size(); ++i) {
        onEnd(states[i], [first, operations, i, losers](AsyncStateBase &) {
            if (first->done.exchange(true))
                return;
            if (losers == WhenAnyLosers::Cancel) {
                for (const AsyncAction &other : operations)
                    other.cancel();
            }
            first->promise.addResult(i);
            first->promise.finish();
        });
    }
    return future;
}

/*!
    \internal A combined operation's body waits for its children whatever happens (propagation off,
    A14), and passes its own cancellation on to every one of them (A21, A22).
*/
inline void cancelChildrenWith(const CancellationToken &token, const QList<AsyncAction> &operations)
{
    token.enablePropagation(false);
    token.callback([operations] {
        for (const AsyncAction &operation : operations)
            operation.cancel();
    });
}

/*! \internal The result of \a operation, which has completed, as whenAll() over different types gives it. */
template <typename R, typename P>
WhenAllValue<R> valueOf(const AsyncOperation<R, P> &operation)
{
    if constexpr (std::is_void_v<R>) {
        operation.getResults();
        return {};
    } else {
        return operation.getResults();
    }
}

} // namespace CommandKit::detail

namespace CommandKit {

template <typename R, typename P>
AsyncOperation<std::conditional_t<std::is_void_v<R>, void, QList<R>>>
whenAll(QList<AsyncOperation<R, P>> operations)
{
    const QList<AsyncAction> actions(operations.cbegin(), operations.cend());
    detail::cancelChildrenWith(co_await getCancellationToken(), actions);
    const qsizetype failed = co_await detail::allEnded(actions);
    if (failed >= 0)
        actions[failed].getResults(); // its exception, or OperationCanceled (A8)
    if constexpr (!std::is_void_v<R>) {
        QList<R> results;
        results.reserve(operations.size());
        for (const AsyncOperation<R, P> &operation : operations)
            results.append(operation.getResults());
        co_return results;
    }
}

template <typename... R, typename... P>
AsyncOperation<std::tuple<std::conditional_t<std::is_void_v<R>, std::monostate, R>...>>
whenAll(AsyncOperation<R, P>... operations)
{
    const QList<AsyncAction> actions{AsyncAction(operations)...};
    detail::cancelChildrenWith(co_await getCancellationToken(), actions);
    const qsizetype failed = co_await detail::allEnded(actions);
    if (failed >= 0)
        actions[failed].getResults();
    co_return std::tuple<detail::WhenAllValue<R>...>{detail::valueOf(operations)...};
}

template <typename R, typename P>
AsyncOperation<qsizetype> whenAny(QList<AsyncOperation<R, P>> operations, WhenAnyLosers losers)
{
    const QList<AsyncAction> actions(operations.cbegin(), operations.cend());
    detail::cancelChildrenWith(co_await getCancellationToken(), actions);
    co_return co_await detail::firstEnded(actions, losers);
}

template <typename... R, typename... P>
AsyncOperation<qsizetype> whenAny(WhenAnyLosers losers, AsyncOperation<R, P>... operations)
{
    return whenAny(QList<AsyncAction>{AsyncAction(operations)...}, losers);
}

} // namespace CommandKit
