// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <chrono>

#include "commandkit/asyncoperation.h"
#include "commandkit/commandkit_export.h"
#include "commandkit/gate.h"
#include "commandkit/progressrecorder.h"
#include "commandkit/virtualclock.h"

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

    \a timeout is real time, also while a \c VirtualClock is installed (A23): it guards the test
    against hanging. It answers true at once for an operation that has already ended and false for an
    empty handle.
    It does not use the operation's completed handler (A6), and takes any shape, viewed as an
    \c AsyncAction. Never throws; read the outcome with \c status() or \c getResults() afterwards.
*/
COMMANDKIT_EXPORT bool wait(const AsyncAction &operation,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5));

/*!
    \brief Runs a local event loop until \a command is not running (no run, no queued run) or \a timeout
    (ms) has passed. Returns whether it became idle.

    Call it on the command's thread. It answers true at once for an idle command (a debounced call
    that waits is not a run, C22), and false for a null \a command or one deleted while waiting.
    \a timeout is real time, also under a \c VirtualClock (A23). Never throws.
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
    Values are written as text (C21): \c true / \c false, \c object / \c null for QObject pointers,
    the key of an enum value (\c Completed), lists as \c {["a", "b"]} (strings quoted inside them),
    maps as \c {{key: value}}, gadgets (\c Q_GADGET value types such as a progress struct) as
    \c {HashProgress{done: 10, total: 40}}, other values through \c QVariant::toString() or, for a type
    that has none, its registered \c QDebug operator, else its type name.

    For a command with a typed parameter, whose \c canExecute is the answer for \c T{} (C4),
    \c recordCanExecuteWith() records the answer for the parameter the view passes.
    \note Records on the object's thread (direct connections); create, read and delete it there.
*/
class COMMANDKIT_EXPORT PropertyRecorder : public QObject
{
    Q_OBJECT

public:
    /*!
        \brief Records every property of \a object named in \a properties (when empty: all notifying
        properties, the first one only of those that share a NOTIFY signal, so \c canExecuteRevision
        does not repeat \c canExecute). A name that is not a notifying property of \a object is
        reported with \c qWarning.

        Each change reads the property's new value inside its NOTIFY signal, so the list shows what a
        binding would have seen at that moment (C14). Recording stops when \a object is destroyed.
    */
    explicit PropertyRecorder(QObject *object, const QStringList &properties = {});

    /*! \brief The changes so far, oldest first. */
    [[nodiscard]] QStringList changes() const { return m_changes; }
    /*! \brief Forgets the changes recorded so far. */
    void clear() { m_changes.clear(); }

    /*!
        \brief Also records the answer of \c canExecuteWith(\a parameter) of the recorded object, a
        \c Command, as \c {canExecuteWith(<parameter>)=true}, each time it changes (C21).

        It is asked again on every \c canExecuteChanged (the command's "ask again", C3) and recorded
        when the answer differs from the previous one (the first answer, taken now, is not recorded), so
        the list shows what a button bound to \c canExecuteWith(parameter) would show, in order with
        the other changes. On an object that is not a \c Command it warns and records nothing.
    */
    void recordCanExecuteWith(const QVariant &parameter);

private:
    QObject *m_object;
    QStringList m_changes;
};

} // namespace CommandKit::Testing
