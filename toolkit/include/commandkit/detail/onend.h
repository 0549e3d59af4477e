// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <utility>

#include "commandkit/detail/asyncstatebase.h"

namespace CommandKit::detail {

/*!
    \internal Calls \a f(ended) once the operation of \a state has ended, with its state: inside the
    state's finish() on the thread that ends it (no lock held, A18), or at once when it has already
    ended. Takes no completed-handler slot (A6): any number may wait on one operation, as awaiters do
    (A12). \a state must not be empty.
*/
template <typename F>
void onEnd(const StatePtr &state, F f)
{
    // A raw pointer, or the continuation would hold the state it belongs to; the state is alive while
    // it runs its continuations, and below while \a state is held.
    auto end = [ended = state.get(), f = std::move(f)]() mutable { f(*ended); };
    auto *node = new OwnedContinuation<decltype(end)>(std::move(end));
    if (!state->addContinuation(node))
        node->resume();
}

} // namespace CommandKit::detail
