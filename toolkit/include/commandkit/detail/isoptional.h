// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <optional>
#include <type_traits>

namespace CommandKit::detail {

/*! \internal Whether T is a std::optional. */
template <typename T>
struct IsOptional : std::false_type
{};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type
{};

} // namespace CommandKit::detail
