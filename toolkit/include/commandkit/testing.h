// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <chrono>

#include "commandkit/asyncoperation.h"
#include "commandkit/commandkit_export.h"

namespace CommandKit {
class AsyncRelayCommand;
}

/*!
    \brief Helpers for unit tests of operations and viewmodels on the main thread (design.md C15).

    \c get() and \c waitFor() refuse to block the main thread (A11); these helpers run a local event
    loop instead, so queued deliveries, timers and \c resumeOn() hops keep working while a test waits.
*/
namespace CommandKit::Testing {

/*!
    \brief Runs a local event loop until \a operation has ended (its body unwound) or \a timeout (ms)
    has passed. Returns whether it ended. Any thread with an event loop; usually the main thread.
*/
COMMANDKIT_EXPORT bool wait(const AsyncAction &operation,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5));

/*!
    \brief Runs a local event loop until \a command is not running (no run, no queued run) or \a timeout
    (ms) has passed. Returns whether it became idle.
*/
COMMANDKIT_EXPORT bool waitUntilIdle(AsyncRelayCommand *command,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

/*!
    \brief Records the changes of an object's notifying properties in the order they happen, as
    "name=value" strings (C14, C15): the state sequence of a command or viewmodel, checked in one line.

    \code
    CommandKit::Testing::PropertyRecorder recorder(command, {"isRunning", "canExecute"});
    command->execute();
    CommandKit::Testing::waitUntilIdle(command);
    QCOMPARE(recorder.changes(), QStringList({"isRunning=true", "canExecute=false",
                                              "isRunning=false", "canExecute=true"}));
    \endcode
    \note Records on the object's thread (direct connections).
*/
class COMMANDKIT_EXPORT PropertyRecorder : public QObject
{
    Q_OBJECT

public:
    /*!
        \brief Records every property of \a object named in \a properties (all notifying properties when
        empty). A name that is not a notifying property of \a object is reported with \c qWarning.
    */
    explicit PropertyRecorder(QObject *object, const QStringList &properties = {});

    /*! \brief The changes so far, oldest first. */
    [[nodiscard]] QStringList changes() const { return m_changes; }
    /*! \brief Forgets the changes recorded so far. */
    void clear() { m_changes.clear(); }

private:
    QStringList m_changes;
};

} // namespace CommandKit::Testing
