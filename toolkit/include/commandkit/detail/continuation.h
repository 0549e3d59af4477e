// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

namespace CommandKit::detail {

/*!
    \internal
    Something to run once when an operation ends: an awaiting coroutine, a command's bookkeeping.
    Nodes are intrusive so that awaiting needs no allocation; the registrant keeps a node alive
    until it has run.
*/
struct Continuation
{
    Continuation *next = nullptr;
    /*! Runs the continuation, once, outside the state's locks. */
    virtual void resume() noexcept = 0;

protected:
    ~Continuation() = default;
};

} // namespace CommandKit::detail
