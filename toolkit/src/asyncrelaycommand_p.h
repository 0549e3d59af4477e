// SPDX-License-Identifier: MIT
// Private: not installed, not API.
#pragma once

#include <QtCore/QList>

#include <cstdint>
#include <optional>
#include <stop_token>
#include <vector>

#include "commandkit/asyncrelaycommand.h"
#include "commandkit/detail/taskvalues.h"

namespace CommandKit {

/*!
    The runs of an AsyncRelayCommand and everything that follows them: how a run starts, attaches to
    the operation its delegate returned, is canceled and ends (docs/commands.md, "What one run costs").

    Its functions set the command's bindable properties and emit its signals through \c q; they run on
    the command's thread. An update (openUpdate() … closeUpdate()) sets every value first and emits the
    signals of what really changed once it closes (C14). Every run ends through endRun().
*/
class AsyncRelayCommand::Private
{
public:
    explicit Private(AsyncRelayCommand *command)
        : q(command)
    {}

    /*!
        One run. \c state is the operation the delegate returned, null until the delegate has been
        called (a run's start is announced before that, C7). \c operation, when executeAsync() asked for
        one, is what the caller holds: it ends only after the command has processed the run's end (C10).
    */
    struct Run
    {
        quint64 id = 0; // the task's id
        detail::StatePtr state;
        detail::StatePtr operation;
        // Made when executionTask is first read for this run (currentTask()); until then, and for a
        // run nobody asks about, \c values holds what the task would show (P2).
        ExecutionTask *task = nullptr;
        // Until the delegate is launched (after the start's signals, C7, C14): its parameter.
        QVariant parameter;
        // The delegate's std::stop_token comes from here; only for delegates that take one.
        std::stop_source stop{std::nostopstate};
        bool launched = false;
        bool canceled = false; // cancellation was requested
        // The clock's call of the run's timeout (C11, A23); 0 when none.
        quint64 timeoutCall = 0;
        detail::TaskValues values{};
    };
    /*! The command's state before an update began (C14). */
    struct Update
    {
        bool outermost = false;
        quint64 currentId = 0;
        bool isRunning = false;
        bool canBeCanceled = false;
        bool isCancellationRequested = false;
    };
    /*! A run that waits for room (Queue, Parallel past maxConcurrency), and the caller's operation. */
    struct Queued
    {
        detail::StatePtr operation;
        QVariant parameter;
    };
    /*! The caller's operation of a run that has ended, and its outcome (null: Completed), for C10. */
    struct Finishing
    {
        detail::StatePtr operation;
        std::exception_ptr error;
    };
    /*!
        What only some commands need, allocated on first use so that a plain command stays as small as a
        QAction (P6).
    */
    struct Extras
    {
        QList<Queued> queue;
        // Errors of runs that ended while the state update was deferred; reported after it (C14).
        QList<std::exception_ptr> failed;
        // onResult()'s callback, and the results of completed runs waiting for the update to close (C17).
        ResultCallback resultCallback;
        QList<QVariant> results;
        // The message of the latest failed run, until updateState() makes it lastError (C18).
        std::optional<QString> endedError;
        // A ProgressRecorder's tap (C20).
        detail::ProgressSink progressTap;
        // The executeAsync() operation of the debounced call that waits (C22), so its cancel() drops it.
        detail::StatePtr paced;
        // The executeAsync() operations of runs that ended inside a start, a launch or a cancel: they
        // end once the state is final (C10), in closeUpdate() or destroy().
        QList<Finishing> finishing;
        // The current run (executionTask) once it has ended, until the next run replaces it (C6, P6);
        // empty while the current run goes on, or before the first.
        std::optional<Run> ended;
    };

    /*!
        The command's destructor: its runs are canceled and its tasks forget it; the callers' operations
        end once the runs' bodies have unwound (C10, C13, C22).
    */
    void destroy() noexcept;
    /*! Starts a run now or queues it; \a withOperation makes the caller's operation (executeAsync()). */
    AsyncAction start(const QVariant &parameter, bool withOperation);
    /*! start() with the caller's \a operation (null: none), already made. */
    AsyncAction startWith(const QVariant &parameter, detail::StatePtr operation);
    /*! executeAsync() under debounce or throttle (C22, C23). */
    AsyncAction executePaced(const QVariant &parameter);
    /*! Sets up a run and the command's state for it; its delegate runs later, in launchPending(). */
    void begin(const QVariant &parameter, detail::StatePtr operation);
    /*! A run that could not be made: \a operation ends with \a error, which goes to C9. */
    AsyncAction notStarted(detail::StatePtr operation, const std::exception_ptr &error);
    /*! Runs the delegates of the runs begun but not launched, once their start has been notified; false
        when the command was deleted meanwhile (C13). */
    bool launchPending();
    /*! Calls a run's delegate and attaches the run to what it returned; a throw makes the run fail (C9). */
    void launch(quint64 id) noexcept;
    /*! Makes \a state the run's operation: its progress and end are the run's (C5, C7, C12, C13). */
    void attach(Run &run, detail::StatePtr state, bool tapped);
    [[nodiscard]] Update openUpdate();
    /*!
        Emits the signals of what changed since openUpdate() (C14), then launches pending runs and
        reports errors and results. Returns false when a slot deleted the command meanwhile: the caller
        then touches neither it nor this Private (C13).
    */
    [[nodiscard]] bool closeUpdate(const Update &update);
    /*! The caller's operation of executeAsync(): its cancel() cancels the run (C11, C12). */
    detail::StatePtr makeOperation();
    /*! A caller canceled operation \a operationId: its run, its waiting run or its debounced call. */
    void cancelOperation(quint64 operationId);
    /*! Requests the run's cancellation (A4); returns false when its body had already ended. */
    bool stop(quint64 id);
    /*! cancel() for one run: its task's cancel(), its timeout (C11). */
    void cancelRun(quint64 id);
    /*! The ids of the runs going on, for loops whose steps may start or end runs. */
    [[nodiscard]] std::vector<quint64> runIds() const;
    /*! The command's ContextRef, made on first use: a command that never runs doesn't pay for it (P6). */
    const detail::ContextRef &selfRef();
    /*! The end of run \a id's operation, on the command's thread (C7, C12). */
    void onRunEnded(quint64 id);
    /*! Processes the end of run \a id: the one end path of every run (C7, C10, C14, C17, C18). */
    void endRun(quint64 id, AsyncStatus status, const std::exception_ptr &error, const QVariant &result);
    /*! Ends the operations kept in Extras::finishing (C10). */
    void finishEnded() noexcept;
    /*! Whether a waiting run may start now: Queue after the running one, Parallel below the limit. */
    [[nodiscard]] bool hasRoom() const;
    [[nodiscard]] bool hasQueued() const { return m_extras && !m_extras->queue.isEmpty(); }
    /*! Starts waiting runs while there is room (C8), inside the caller's update. */
    void startWaiting();
    /*! A progress report of operation \a operationId: to every run that is that operation (A7, C5). */
    void onOperationProgress(quint64 operationId, const QVariant &progress);
    /*! isRunning, canBeCanceled, lastError and canExecute from the runs (C7, C8, C18). */
    void updateState();
    void setBusy(bool busy);
    /*! Deletes \a task (null: none) later: its run has ended and it is no longer the current one (P6). */
    static void retire(ExecutionTask *task) noexcept;
    /*!
        executionTask: the current run's task, made from its values on the first read (P2, C6); null
        when there is none, while the command is being destroyed, or out of memory.
    */
    ExecutionTask *currentTask();
    /*!
        The id of the current run, the one executionTask shows; 0 before the first. It is the run
        begun last: the last of m_runs while it goes on (runs are kept in the order they began), then
        Extras::ended until the next run begins.
    */
    [[nodiscard]] quint64 currentId() const;
    /*! The run \a id: a running one, or the current one after its end; null when neither. */
    [[nodiscard]] Run *findShown(quint64 id);
    /*! Sets what \a run's task shows: on its task if made, else in its values (C14). */
    static void updateTask(Run &run, AsyncStatus status, bool running, QVariant result, QString errorString);
    /*! A progress report of \a run, on its task if made (progressChanged at once), else in its values. */
    static void showProgress(Run &run, const QVariant &progress);
    /*! Whether a completed run's result has someone to go to (C17); else it is not even kept. */
    [[nodiscard]] bool wantsResults() const;
    /*! The onResult() callback, then resultReady (C17); a failure goes to C9 instead. */
    void deliverResult(const QVariant &result);
    [[nodiscard]] Run *findRun(quint64 id);
    Extras &extras();

    AsyncRelayCommand *const q;
    const detail::StateOps *m_stateOps = nullptr;
    detail::Starter m_start;
    detail::ContextRef m_self;
    std::vector<Run> m_runs;
    std::unique_ptr<Extras> m_extras;
    // Nesting depths, which stay small: two bytes each keep the Private in a 104-byte block, so that a
    // command costs no more than a QAction (P6; the static_assert in the .cpp).
    // Raised while a run starts or cancels: updateState() waits for the outermost to finish (C8, C14).
    std::uint16_t m_starting = 0;
    // Depth of nested state updates (openUpdate()/closeUpdate()).
    std::uint16_t m_updating = 0;
    bool m_stoppable = true;
    bool m_takesToken = false;
    bool m_destroying = false;
};

} // namespace CommandKit
