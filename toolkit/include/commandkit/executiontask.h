// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariant>

#include <functional>
#include <memory>

#include "commandkit/asyncoperation.h"
#include "commandkit/asyncstatus.h"
#include "commandkit/detail/taskvalues.h"

namespace CommandKit {

class AsyncRelayCommand;

/*!
    \brief The QObject view of one run of an \c AsyncRelayCommand (design.md C6), for QML and bindings.

    A run's task is made the first time someone reads the command's \c executionTask during or after
    that run (a QML binding, a slot, C++ code), with the values the run has then; a run nobody asks
    about never makes one (P2). Either way it shows what a task made at the start would show. It is a
    child of the command. The command keeps the latest task after the run ends and deletes a task
    (with \c deleteLater()) once it has ended and is no longer the command's \c executionTask, so a
    finished run holds no memory after it is replaced (P6).

    At the end of a run its signals come in this order, each only when its value changes:
    \c progressChanged (the last report), \c resultChanged, \c errorStringChanged, \c statusChanged,
    \c isRunningChanged. \c status turns \c Canceled as soon as the command or this task cancels it.
    \note Lives on the command's thread; every signal is emitted there (C12).
*/
class COMMANDKIT_EXPORT ExecutionTask : public QObject
{
    Q_OBJECT
    Q_PROPERTY(quint64 id READ id CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncStatus status READ status NOTIFY statusChanged FINAL)
    Q_PROPERTY(bool isRunning READ isRunning NOTIFY isRunningChanged FINAL)
    Q_PROPERTY(QVariant progress READ progress NOTIFY progressChanged FINAL)
    Q_PROPERTY(bool hasProgress READ hasProgress NOTIFY progressChanged FINAL)
    Q_PROPERTY(QVariant result READ result NOTIFY resultChanged FINAL)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged FINAL)

public:
    /*! \brief Destroys the view of the run; the run itself is not canceled by it. */
    ~ExecutionTask() override;

    /*!
        \brief The id of the run (A2): the id of the operation \c executeAsync() returned, or for a run
        started by \c execute() an id of the run's own, drawn from the same sequence as operations'
        ids. Fixed from the start of the run, before the delegate runs (C7).
    */
    [[nodiscard]] quint64 id() const;
    /*!
        \brief The run's status (A3); \c Canceled as soon as cancellation is requested, while
        \c isRunning may still be true.
    */
    [[nodiscard]] AsyncStatus status() const { return m_values.status; }
    /*!
        \brief Whether the run is still running (A5, C7): it turns false only once the body has unwound
        and the command is processing the end, just before the command's own \c isRunning.
    */
    [[nodiscard]] bool isRunning() const { return m_values.running; }
    /*!
        \brief The latest progress report of the delegate's \c ProgressToken<P>, as a QVariant holding a
        \c P (A7, C6). Before the first report it holds \c P{} (0.0 for a \c double, an empty gadget),
        so a binding such as \c {value: task.progress} never reads \c undefined; it stays empty only
        for operations without progress (\c P is \c void) and a \c P that is not default-constructible.

        Reports reach it on the command's thread, at most one pending at a time (P5), so a
        \c ProgressBar bound to it stays cheap however often the body reports.
    */
    [[nodiscard]] QVariant progress() const { return m_values.progress; }
    /*!
        \brief Whether the body has reported progress yet (C6): false from the start of the run until
        the first report reaches the command's thread, whatever that report's value (even \c P{}).

        It tells a run that waits (for a thread of the pool, say) from one that works, where
        \c progress alone cannot: both read \c P{} then. Notified with \c progressChanged.
    */
    [[nodiscard]] bool hasProgress() const { return m_values.hasProgress; }
    /*!
        \brief The result once Completed, as a QVariant holding the delegate's \c R; empty for \c void
        results and while not Completed (A8).
    */
    [[nodiscard]] QVariant result() const { return m_values.result; }
    /*!
        \brief The error message once Error (or the cancellation message once Canceled); empty otherwise
        (A9).

        It is \c what() of the delegate's exception, for a label in the view; the exception itself goes
        to the command's error handler (C9).
    */
    [[nodiscard]] QString errorString() const { return m_values.errorString; }
    /*!
        \brief The run's operation: the one \c executeAsync() returned, else the one the delegate
        returned (C5), as an \c AsyncAction; an empty handle while a run started by \c execute() has
        not called its delegate yet (inside the start's signals, C7). A run whose delegate threw, or
        that was canceled before its delegate was called, shows an operation ended the same way.

        It lets C++ code wait for or cancel a run it found through \c executionTask. Call it on the
        task's (its command's) thread; the handle it returns may then be used on any thread.
    */
    [[nodiscard]] AsyncAction operation() const;

    /*!
        \brief Requests cancellation of this run (A4). A no-op once it has ended.
        \note May be called from any thread: from another than the task's (its command's) thread the
        request is posted there (C12), and dropped if the task is deleted first.
    */
    Q_INVOKABLE void cancel();

Q_SIGNALS:
    /*!
        \brief \c status changed: to \c Canceled at once on a cancellation request, or to its final value
        at the end (A3). Emitted on the command's thread, after \c errorStringChanged.
    */
    void statusChanged();
    /*!
        \brief \c isRunning turned false: the last signal of the task at the end of its run (C7),
        emitted on the command's thread before the command's own \c isRunningChanged.
    */
    void isRunningChanged();
    /*!
        \brief \c progress has a new value or \c hasProgress turned true (A7); emitted on the command's
        thread for the first report and then only for a value that differs from the previous one,
        latest value wins.
    */
    void progressChanged();
    /*! \brief \c result was set at the end of a Completed run (A8); emitted on the command's thread. */
    void resultChanged();
    /*!
        \brief \c errorString changed: set when the run is canceled or ends Error (A9); emitted on the
        command's thread, before \c statusChanged.
    */
    void errorStringChanged();

private:
    // The command makes its tasks and tells them what happens to their run (C14); a task never calls
    // into the command: its cancel() is the callback it was given.
    friend class AsyncRelayCommand;
    /*! A task showing \a values, made when the command's \c executionTask is first read (P2). */
    ExecutionTask(quint64 id, detail::TaskValues values, detail::StatePtr operation,
                  std::function<void()> cancel, QObject *command);
    /*! The operation the delegate returned (C5), for operation() when executeAsync() made none. */
    void attach(detail::StatePtr state) { m_state = std::move(state); }
    /*!
        Takes the run's values; what changed is emitted by emitPending() (C14). \a running stays true
        until the command has processed the run's end (C7).
    */
    void update(AsyncStatus status, bool running, QVariant result, QString errorString);
    /*!
        Emits the signals of what update() changed, in the documented order (C14); stops once
        \a command, which owns this task, is deleted by a slot (C13).
    */
    void emitPending(const QPointer<QObject> &command);
    void setProgress(const QVariant &progress);
    /*! deleteLater(), with the DeferredDelete event's memory reused from a per-thread pool (P2). */
    void retire();

    const quint64 m_id;
    // What executeAsync() returned, or null.
    detail::StatePtr m_operation;
    // The operation the delegate returned, once it has.
    detail::StatePtr m_state;
    std::function<void()> m_cancel;
    detail::TaskValues m_values;
    // What update() changed and emitPending() has not announced yet (TaskValues::Change flags).
    quint8 m_pending = 0;
};

} // namespace CommandKit
