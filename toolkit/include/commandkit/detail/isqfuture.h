// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QFuture>

#include <type_traits>

namespace CommandKit::detail {

/*! \internal Whether T is a QFuture; Result is its result type. */
template <typename T>
struct IsQFuture : std::false_type
{};
template <typename T>
struct IsQFuture<QFuture<T>> : std::true_type
{
    using Result = T;
};

} // namespace CommandKit::detail
