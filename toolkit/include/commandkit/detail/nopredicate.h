// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

namespace CommandKit::detail {

/*! \internal Marks "no predicate": the command can always execute (as far as the predicate goes). */
struct NoPredicate
{};

} // namespace CommandKit::detail
