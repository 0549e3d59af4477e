// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QFuture>
#include <QtCore/QPromise>

#include <memory>

#include "commandkit/asyncoperation.h"

namespace CommandKit {

/*!
    \brief A \c QFuture<R> that finishes with \a operation (A17): its result when Completed, its
    exception (unchanged, rethrown by \c QFuture::result() / \c waitForFinished()) when Error, canceled
    when Canceled. Does not use the operation's completed handler.

    It hands an operation to Qt APIs that take a \c QFuture, such as \c QFutureWatcher or
    \c QFuture::then().
    \note Thread-safe. Canceling the returned future does not cancel \a operation.
*/
template <typename R, typename P>
[[nodiscard]] QFuture<R> toFuture(const AsyncOperation<R, P> &operation);

/*!
    \brief An operation that ends with \a future (A17): its result, its exception (unchanged), or
    Canceled when the future is canceled. \c cancel() on the operation cancels the future.

    The operation resumes when the future has finished, so a producer that checks
    \c QFuture::isCanceled() is never still running when the operation ends (A15).
    \note Like any body, it runs to its first suspension at once: it awaits the future.
*/
template <typename T>
AsyncOperation<T> fromFuture(QFuture<T> future);

} // namespace CommandKit

#include "commandkit/detail/interopfunctions.h"
