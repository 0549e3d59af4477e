// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>

#include <cstddef>
#include <tuple>
#include <variant>

#include "commandkit/asyncoperation.h"

namespace CommandKit {

/*! \brief What \c whenAny() does with the operations that did not end first (A22). */
enum class WhenAnyLosers {
    Keep,   //!< They go on running; the caller decides.
    Cancel, //!< \c cancel() is called on each of them as soon as the first one has ended.
};

/*!
    \brief An operation that ends once every one of \a operations has ended (A21): Completed with their
    results in the order given, when every one completed.

    \a operations is a \c QList of \c AsyncOperation<R, P> (any \c R and \c P); the result is a
    \c QList<R>, or nothing for \c void. As soon as one of them fails or is canceled, the others are
    canceled, and the combined operation ends, once every one has ended, with the first such end in
    time: Error with that operation's exception, or Canceled. Canceling the combined operation cancels
    every one of \a operations; it is Canceled at once (A4) and its body unwinds once they have all ended,
    so nothing it started is still running when \c isRunning() turns false (A5).

    \code
    const QList<int> sizes = co_await CommandKit::whenAll(QList{measure(a), measure(b)});
    \endcode

    It waits as an awaiter does (A12) and takes no completed-handler slot (A6) of \a operations. An
    empty handle among them makes the combined operation end with \c AsyncError{IllegalMethodCall}; an
    empty list completes at once. Any thread; the combined operation's handlers follow A6 and A12.
*/
template <typename R, typename P>
AsyncOperation<std::conditional_t<std::is_void_v<R>, void, QList<R>>>
whenAll(QList<AsyncOperation<R, P>> operations);

/*!
    \brief \c whenAll() for operations of different types (A21): the result is a \c std::tuple of their
    results, in the order given, with \c std::monostate for a \c void result.

    \code
    auto [user, avatar] = co_await CommandKit::whenAll(loadUser(id), loadAvatar(id));
    \endcode
*/
template <typename... R, typename... P>
AsyncOperation<std::tuple<std::conditional_t<std::is_void_v<R>, std::monostate, R>...>>
whenAll(AsyncOperation<R, P>... operations);

/*!
    \brief An operation that ends once the first of \a operations has ended (A22), Completed with that
    operation's index in \a operations, whatever its own status; the caller reads its result or error.

    With \a losers \c WhenAnyLosers::Cancel the others are canceled as soon as the first has ended,
    and the combined operation still ends at once: it does not wait for them. Canceling the combined
    operation cancels every one of \a operations and ends it Canceled once the first of them has ended.
    Takes no completed-handler slot (A6), as \c whenAll(); an empty list or an empty handle ends it
    with \c AsyncError{IllegalMethodCall}. Any thread.
*/
template <typename R, typename P>
AsyncOperation<qsizetype> whenAny(QList<AsyncOperation<R, P>> operations,
                                  WhenAnyLosers losers = WhenAnyLosers::Keep);

/*! \brief \c whenAny() for operations of different types (A22); the result is the index of the first to end.
 */
template <typename... R, typename... P>
AsyncOperation<qsizetype> whenAny(WhenAnyLosers losers, AsyncOperation<R, P>... operations);

} // namespace CommandKit

#include "commandkit/detail/compositionfunctions.h"
