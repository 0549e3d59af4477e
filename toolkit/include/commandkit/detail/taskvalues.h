// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QString>
#include <QtCore/QVariant>

#include <utility>

#include "commandkit/asyncstatus.h"

namespace CommandKit::detail {

/*!
    \internal
    What an ExecutionTask shows of its run (C6). A run keeps these values itself until someone reads
    the command's \c executionTask, which makes the task from them (P2); from then on the task keeps
    them. Both change them through update() and setProgress(), so a task made late shows what one
    made at the start would show.
*/
struct TaskValues
{
    /*! Which values an update() changed, for the task's signals (C14). */
    enum Change : quint8 { ResultChanged = 1, ErrorStringChanged = 2, StatusChanged = 4, RunningChanged = 8 };

    AsyncStatus status = AsyncStatus::Started;
    bool running = true;
    bool hasProgress = false;
    QVariant progress;
    QVariant result;
    QString errorString;

    /*! Takes the run's new values; returns the Change flags of those that differ. */
    quint8 update(AsyncStatus newStatus, bool newRunning, QVariant newResult, QString newErrorString)
    {
        quint8 changed = 0;
        if (newResult != result) {
            result = std::move(newResult);
            changed |= ResultChanged;
        }
        if (newErrorString != errorString) {
            errorString = std::move(newErrorString);
            changed |= ErrorStringChanged;
        }
        if (newStatus != status) {
            status = newStatus;
            changed |= StatusChanged;
        }
        if (newRunning != running) {
            running = newRunning;
            changed |= RunningChanged;
        }
        return changed;
    }

    /*!
        Takes a progress report; returns whether \c progress or \c hasProgress changed: the first
        report always does, even with the default value, a later one only with a different value (A7).
    */
    bool setProgress(const QVariant &report)
    {
        if (hasProgress && report == progress)
            return false;
        hasProgress = true;
        progress = report;
        return true;
    }
};

} // namespace CommandKit::detail
