// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QVariant>

#include <functional>
#include <stop_token>

#include "commandkit/detail/asyncstatebase.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/detail/stateref.h"

namespace CommandKit::detail {

/*! \internal A ProgressRecorder's tap (C20): every report of a run, on the reporting thread. */
using ProgressSink = std::function<void(const QVariant &)>;

/*!
    \internal
    Calls a command's delegate with the run's parameter and stop token; returns the state of the
    operation it returned (C5), null for an empty one. May throw what the delegate throws synchronously.
    With a \c tap, the run's reports go to it from the first one, and \c tapped says so (C20).
*/
using Starter =
    std::function<StatePtr(const QVariant &, std::stop_token, const ProgressSink &tap, bool &tapped)>;

/*!
    \internal
    What an AsyncRelayCommand needs of its delegate's operation type: the QVariant view of C6 and C17.
    One constant table per operation type (VariantView), so a command holds one pointer to it.
*/
struct StateOps
{
    /*! The task's progress before the first report (C6). */
    QVariant (*initialProgress)();
    /*! The result of a Completed operation; empty for void (C17). */
    QVariant (*result)(const AsyncStateBase &state);
    /*! Observes progress on a context (latest value wins, A7); returns the latest report so far. */
    QVariant (*observe)(AsyncStateBase &state, ContextRef context,
                        std::function<void(const QVariant &)> observer);
    /*! Sets the recorder's tap on the operation (C20); empty removes it. */
    void (*tap)(AsyncStateBase &state, std::function<void(const QVariant &)> tap);
};

} // namespace CommandKit::detail
