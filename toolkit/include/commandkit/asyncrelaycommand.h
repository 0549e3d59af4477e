// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QProperty>

#include <algorithm>

#include <functional>
#include <memory>
#include <stop_token>
#include <type_traits>

#include "commandkit/asyncoperation.h"
#include "commandkit/asyncstatus.h"
#include "commandkit/command.h"
#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/membersignature.h"
#include "commandkit/detail/stateops.h"
#include "commandkit/executiontask.h"

namespace CommandKit {

class RelayCommand;
namespace Testing {
class ProgressRecorder;
}

/*!
    \brief A command whose delegate runs asynchronously (design.md C5–C13).

    The delegate returns an \c AsyncOperation<R, P> (usually it is a coroutine), a \c QFuture<R> or a
    \c QCoro::Task<R>, and takes nothing, \c T, \c std::stop_token, or \c T and \c std::stop_token
    (C5); the optional predicate is \c bool() or \c bool(T). The stop token is stopped when the run is
    canceled, as is the operation's own cancellation token; a \c QFuture is canceled with
    \c QFuture::cancel(). A \c QCoro::Task without a token cannot be stopped: \c canBeCanceled stays
    false and \c cancel() leaves it running.

    \code
    m_hash = new CommandKit::AsyncRelayCommand(
        [this](std::stop_token stop) -> CommandKit::AsyncOperation<QString, qint64> {
            co_await CommandKit::resumeBackground();
            ...
        }, this);
    \endcode

    State of a run (C6, C7, C14). At the start, before the delegate's first line runs, each signal only
    when its value changes, in this order: \c executionTaskChanged, \c isRunningChanged,
    \c canBeCanceledChanged, \c isCancellationRequestedChanged, \c lastErrorChanged (cleared, C18),
    \c canExecuteChanged (Reject mode). At the end, after the body has unwound, whether it completed,
    failed or was canceled: the \c ExecutionTask's own signals, then \c isRunningChanged,
    \c canBeCanceledChanged, \c lastErrorChanged (a failure's message), \c canExecuteChanged, and for
    a failure \c errorOccurred (C9), for a completion the \c onResult() callback and \c resultReady
    (C17). \c isRunning turns false exactly once
    per run (in Parallel, Restart and Queue modes: once no run is left).

    | event                  | isRunning | canBeCanceled | isCancellationRequested | executionTask.status |
    |------------------------|-----------|---------------|-------------------------|----------------------|
    | start                  | true      | true          | false                   | Started              |
    | completes              | false     | false         | false                   | Completed            |
    | delegate throws        | false     | false         | false                   | Error                |
    | cancel()               | true      | false         | true                    | Canceled             |
    | canceled body unwound  | false     | false         | true                    | Canceled             |

    \c docs/commands.md has the same account for every concurrency mode, signal by signal.

    \note Lives on its QObject thread: every property change and signal happens there, whatever
    thread the delegate finishes on (C12). \c cancel() and \c notifyCanExecuteChanged() may be called
    from any thread. Deleting the command cancels its runs (C13).
*/
class COMMANDKIT_EXPORT AsyncRelayCommand : public CommandKit::Command
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::ExecutionTask *executionTask READ executionTask NOTIFY executionTaskChanged
                   BINDABLE bindableExecutionTask FINAL)
    Q_PROPERTY(bool isRunning READ isRunning NOTIFY isRunningChanged BINDABLE bindableIsRunning FINAL)
    Q_PROPERTY(bool canBeCanceled READ canBeCanceled NOTIFY canBeCanceledChanged BINDABLE
                   bindableCanBeCanceled FINAL)
    Q_PROPERTY(bool isCancellationRequested READ isCancellationRequested NOTIFY isCancellationRequestedChanged
                   BINDABLE bindableIsCancellationRequested FINAL)
    Q_PROPERTY(CommandKit::ConcurrencyMode concurrency READ concurrency WRITE setConcurrency NOTIFY
                   concurrencyChanged BINDABLE bindableConcurrency FINAL)
    Q_PROPERTY(int maxConcurrency READ maxConcurrency WRITE setMaxConcurrency NOTIFY maxConcurrencyChanged
                   BINDABLE bindableMaxConcurrency FINAL)
    Q_PROPERTY(CommandKit::Command *cancelCommand READ cancelCommand CONSTANT FINAL)
    Q_PROPERTY(int timeout READ timeout WRITE setTimeout NOTIFY timeoutChanged BINDABLE bindableTimeout FINAL)

public:
    /*!
        \brief A command that runs \a execute and can always execute (concurrency permitting).

        \a execute has one of the shapes of C5; its parameter type \c T (decayed) is what \c execute()
        converts its QVariant to (C4), and whether it can be stopped sets \c isStoppable(). \a parent
        is the QObject parent; create the command on the thread it is to live on (see \c Command).
        A delegate of another shape is a compile-time error. A delegate that returns an empty
        \c AsyncOperation makes its run end Error with \c AsyncError{IllegalMethodCall}.
    */
    template <detail::Callable Execute>
    explicit AsyncRelayCommand(Execute &&execute, QObject *parent = nullptr);

    /*!
        \brief A command that runs \a execute when \a canExecute says yes.

        \a canExecute is \c bool() or \c bool(T) with the delegate's own \c T (checked at compile time);
        it runs on the command's thread, inside a property binding, so the bindable properties it reads
        keep \c canExecute current by themselves (C3). It is asked only with parameters that convert.
    */
    template <detail::Callable Execute, detail::Predicate CanExecute>
    AsyncRelayCommand(Execute &&execute, CanExecute &&canExecute, QObject *parent = nullptr);

    /*!
        \brief A command, child of \a object, that runs the member function \a execute of \a object (C16).

        \a execute is a pointer to a member function of \a object's class (or of a base) with one of the
        shapes of C5: \c {new AsyncRelayCommand(this, &NotesViewModel::load)}. Its parameter type and
        whether it can be stopped are deduced as for a lambda. \a object must be a QObject: it becomes
        the command's parent, so the command lives on its thread and dies with it. Once the object's
        QObject destructor has begun the member is never called; a run that would start then ends
        Canceled. A pointer to a member of another class is a compile-time error.
    */
    template <typename Object, detail::MemberFunctionOf<Object> Execute>
    AsyncRelayCommand(Object *object, Execute execute);

    /*!
        \brief A command, child of \a object, that runs the member function \a execute when
        \a canExecute says yes (C16).

        \a canExecute is a member function of \a object (\c {bool canLoad() const} or
        \c {bool canLoad(const T &) const}) or any predicate the other constructors take. Like every
        predicate it runs inside a property binding, so the bindable properties it reads keep
        \c canExecute current (C3). Once the object's QObject destructor has begun, a member predicate
        answers false without being called.
    */
    template <typename Object, detail::MemberFunctionOf<Object> Execute, typename CanExecute>
    AsyncRelayCommand(Object *object, Execute execute, CanExecute &&canExecute);

    /*!
        \brief Cancels the runs and the queue; nothing touches the command afterwards (C13).

        Operations that \c executeAsync() returned end Canceled, queued ones without running, so
        awaiting code never hangs on a deleted command. Delete the command on its own thread.
    */
    ~AsyncRelayCommand() override;

    /*!
        \brief The latest run; null until the first one (C6).

        It changes before the delegate's first line runs (C7) and is kept after the run ends, so a
        view can still show the last result or error. The task object is made on the first read of
        this property for that run, with the run's values at that moment (a run nobody asks about
        makes none, P2); later reads return the same object. The command owns it (a child object)
        and deletes a task once it has ended and been replaced (P6): do not keep the pointer across
        runs. Read it on the command's thread: on another it is null, with a warning (C12). Returns
        null before the first run, and also when there is no memory left to make the task.
    */
    [[nodiscard]] ExecutionTask *executionTask() const;
    /*! \brief The bindable of \c executionTask, for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<ExecutionTask *> bindableExecutionTask() { return &m_executionTask; }
    /*!
        \brief Whether a run's body is alive (C6, C7): true before the delegate's first line runs and
        false exactly once, after the body has unwound, also after an error or a cancellation.

        In Parallel mode it stays true while any run is alive, in Queue mode until the queue is empty,
        and in Restart mode across the switch to the new run (C8). Read it on the command's thread.
    */
    [[nodiscard]] bool isRunning() const { return m_isRunning.value(); }
    /*! \brief The bindable of \c isRunning, for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<bool> bindableIsRunning() { return &m_isRunning; }
    /*!
        \brief Whether \c cancel() would reach a running run that has not been canceled yet (C5, C6).

        Always false for a command that is not \c isStoppable(); false at once after \c cancel(), while
        the canceled body is still unwinding, so a Cancel button disables itself immediately.
    */
    [[nodiscard]] bool canBeCanceled() const { return m_canBeCanceled.value(); }
    /*! \brief The bindable of \c canBeCanceled, for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<bool> bindableCanBeCanceled() { return &m_canBeCanceled; }
    /*!
        \brief Whether cancellation was requested since the latest run started (C6): by \c cancel(),
        \c cancelCommand(), the task's \c ExecutionTask::cancel(), the \c cancel() of an operation
        \c executeAsync() returned, or \c timeout.

        It stays true after the canceled run ends, until the next run starts. A Restart that cancels
        the running run to start a new one does not set it.
    */
    [[nodiscard]] bool isCancellationRequested() const { return m_isCancellationRequested.value(); }
    /*!
        \brief The bindable of \c isCancellationRequested, for C++ property bindings on the command's
        thread.
    */
    [[nodiscard]] QBindable<bool> bindableIsCancellationRequested() { return &m_isCancellationRequested; }
    /*! \brief What \c execute() does while a run is in progress (C8); Reject by default. */
    [[nodiscard]] ConcurrencyMode concurrency() const { return m_concurrency.value(); }
    /*!
        \brief Sets the concurrency mode to \a mode (C8); it applies from the next \c execute() on.

        \c canExecute follows at once, because in Reject mode a running command cannot execute.
        Call it on the command's thread; emits \c concurrencyChanged when the value changes.
    */
    void setConcurrency(ConcurrencyMode mode) { m_concurrency = mode; }
    /*! \brief The bindable of \c concurrency, for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<ConcurrencyMode> bindableConcurrency() { return &m_concurrency; }

    /*!
        \brief In Parallel mode, how many runs may go on at once (C8); 0 (the default) means no limit.

        A run started past the limit waits, in the order of the calls, and starts as an earlier one
        ends: \c execute() returns at once, \c executeAsync() returns the waiting run's operation
        (Started), and its \c ExecutionTask is made when it starts. \c canExecute is not affected.
        \c cancel() ends the waiting runs Canceled without starting them, and so does the \c cancel()
        of a waiting run's operation for that run. Other modes ignore it. Read it on the command's thread.
    */
    [[nodiscard]] int maxConcurrency() const { return m_maxConcurrency.value(); }
    /*!
        \brief Sets \c maxConcurrency to \a runs (0: no limit; a negative value is stored as 0) (C8).

        Runs going on are never stopped by a lower limit; a higher one starts waiting runs at once, in
        order, as far as it allows. Call it on the command's thread; emits \c maxConcurrencyChanged
        when the stored value changes.
    */
    void setMaxConcurrency(int runs);
    /*! \brief The bindable of \c maxConcurrency, for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<int> bindableMaxConcurrency() { return &m_maxConcurrency; }

    /*!
        \brief A run that takes longer than this many milliseconds is canceled (C11); 0 (the default)
        means no limit. Applies to runs started after it is set; a negative value counts as 0.
    */
    [[nodiscard]] int timeout() const { return m_timeout.value(); }
    /*!
        \brief Sets \c timeout to \a milliseconds (ms; negative values are stored as 0) (C11).

        The limit is armed when a run starts, with a timer of CommandKit's clock (A23) on the command's
        thread, and freed when the run ends; changing it does not affect runs already going. A run it cancels
       counts as requested cancellation
        (\c isCancellationRequested). Call it on the command's thread; emits \c timeoutChanged when the
        stored value changes.
    */
    void setTimeout(int milliseconds) { m_timeout = std::max(0, milliseconds); }
    /*! \brief The bindable of \c timeout (ms), for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<int> bindableTimeout() { return &m_timeout; }

    /*!
        \brief A command that cancels this one, enabled while \c canBeCanceled (C11). The same child
        object every time.

        It lets a Cancel button or a menu item bind to a plain \c Command. It is made on the first call
        (so commands that never need it do not pay for it, P6) and owned by this command; its
        \c objectName is this command's followed by \c ".cancelCommand". Call it on the command's thread.
    */
    [[nodiscard]] Command *cancelCommand();

    /*!
        \brief Whether runs of this command can be stopped (C5): true for a delegate that returns an
        \c AsyncOperation or a \c QFuture, or takes a \c std::stop_token; false for a \c QCoro::Task
        without a token, whose \c cancel() does nothing.

        Fixed by the delegate's signature at construction. Any thread.
    */
    [[nodiscard]] bool isStoppable() const;

    /*!
        \brief Calls \a callback with the result of every run that completes (C17), on the command's
        thread, once the command's state is final: what a viewmodel uses to put the result into its
        own property, \c {m_load->onResult([this](QStringList notes) { m_notes = notes; })}.

        \a callback is \c void(T), which gets the run's result converted to \c T with QVariant's
        rules (C4), or \c void(), which is told that a run completed. It runs after the end's property
        signals and before \c resultReady, so what it changes is visible to \c resultReady's receivers
        and to whoever awaits \c executeAsync() (C10). Failed and canceled runs never call it.

        A result that does not convert to \c T (or a delegate with a \c void result and a \c void(T)
        callback) is reported as an error naming both types, and an exception the callback throws is
        reported too, both through the error chain of C9 (\c errorOccurred, the error handler); then
        \c resultReady is not emitted for that run. A second call replaces the callback; an empty
        \c std::function removes it. A callable of another shape is a compile-time error. Call it on
        the command's thread.
    */
    template <typename Callback>
    void onResult(Callback &&callback);

    /*!
        \brief Executes like \c execute(), and returns an operation that ends with the run: its result,
        its error, its cancellation (C10). Its id is the \c executionTask's. When the command cannot
        execute with \a parameter (or Reject mode refuses), nothing runs and the operation has already
        ended Canceled. Never throws.

        It is the handle for C++ callers and tests: \c co_await it, or \c Testing::wait() on it. It ends
        only after the command has processed the run's end, so whoever awaits it reads the command's
        final state. Its \c cancel() cancels the run (or drops a queued one) on the command's thread.
        In Queue mode it is returned at once and its run starts when the runs before it have ended.
        With \c debounce on, it is returned at once, Started, and its run starts when the window ends;
        it ends Canceled without running when a newer call, \c cancel() or its own \c cancel() drops
        the call, or when the checks refuse it then (C22). With \c throttle on, a call inside the window
        gets an operation that has already ended Canceled (C23).
        A delegate's error is its error (\c getResults() rethrows it) and is still reported as C9 says.
        If the command is deleted first, the operation ends Canceled (C13).
        Call it on the command's thread, like \c execute().
    */
    AsyncAction executeAsync(const QVariant &parameter = QVariant());

    /*!
        \brief Requests cancellation of the running run(s) and drops queued ones (C11); a no-op when
        nothing runs. Callable from any thread (posted to the command's thread).

        Each running body sees \c OperationCanceled at a \c co_await (A14), or its stop token is
        stopped, or its \c QFuture is canceled; \c isRunning stays true until the body has unwound.
        Queued runs end Canceled without running, and so does a debounced call that waits (C22; that
        alone does not set \c isCancellationRequested). A run that cannot be stopped (\c isStoppable()
        false) is left running. A body that has already ended is not turned Canceled (A4). Never throws.
    */
    Q_INVOKABLE void cancel();

Q_SIGNALS:
    /*!
        \brief \c executionTask was replaced by a new run's task; the first of the command's own
        signals at a start (C14).
        Emitted on the command's thread, before the delegate's first line runs.
    */
    void executionTaskChanged();
    /*!
        \brief \c isRunning changed (C7, C14); emitted on the command's thread, at a start after
        \c executionTaskChanged and at an end after the task's own signals.
    */
    void isRunningChanged();
    /*!
        \brief \c canBeCanceled changed (C6, C14); emitted on the command's thread, right after
        \c isRunningChanged at a start or an end, and after the task's signals on \c cancel().
    */
    void canBeCanceledChanged();
    /*!
        \brief \c isCancellationRequested changed (C6); emitted on the command's thread: true on a request,
        false when the next run starts.
    */
    void isCancellationRequestedChanged();
    /*!
        \brief A run completed with \a result, the delegate's \c R in a QVariant (empty for a \c void
        result) (C17).

        Emitted on the command's thread for every run that completes, after the end's property
        signals and after the \c onResult() callback, when the state is final (\c isRunning false
        for the last run, \c executionTask's \c status Completed). Never for a failed or canceled run;
        \c errorOccurred is the failure's counterpart.
    */
    void resultReady(const QVariant &result);
    /*! \brief \c concurrency changed through \c setConcurrency() or its bindable; on the command's thread. */
    void concurrencyChanged();
    /*! \brief \c timeout changed through \c setTimeout() or its bindable; on the command's thread. */
    void timeoutChanged();
    /*!
        \brief \c maxConcurrency changed through \c setMaxConcurrency() or its bindable; on the
        command's thread.
    */
    void maxConcurrencyChanged();

protected:
    bool isBlocked() const override;
    void run(const QVariant &parameter) override;

private:
    // The recorder taps every run's progress reports (C20).
    friend class Testing::ProgressRecorder;
    // The runs and their bookkeeping: src/asyncrelaycommand_p.h.
    class Private;

    /*! Makes the command's Private; the templated constructors delegate here, then call setUp(). */
    explicit AsyncRelayCommand(QObject *parent);
    /*! Installs the delegate (\a start) and the QVariant view of its operation type (\a ops). */
    void setUp(const detail::StateOps *ops, detail::Starter start, bool stoppable, bool takesToken);
    /*! The type-erased result callback of onResult(); throws for a result it cannot convert. */
    using ResultCallback = std::function<void(const QVariant &)>;
    void setResultCallback(ResultCallback callback);
    /*! The recorder's tap, set on every run's operation from now on and on the running ones (C20). */
    void setProgressTap(detail::ProgressSink tap);
    // The notifiers of the state properties: silent inside an update, whose end emits (C14).
    /*! The computed executionTask: the current run's task, made on the first read (Private::currentTask()).
     */
    ExecutionTask *makeExecutionTask() const;
    void isRunningNotify();
    void canBeCanceledNotify();
    void isCancellationRequestedNotify();
    void maxConcurrencyNotify();

    std::unique_ptr<Private> d;
    // Computed: the task is made when first read (P2); the Private notifies its bindings when the
    // current run changes.
    Q_OBJECT_COMPUTED_PROPERTY(AsyncRelayCommand, ExecutionTask *, m_executionTask,
                               &AsyncRelayCommand::makeExecutionTask)
    Q_OBJECT_BINDABLE_PROPERTY(AsyncRelayCommand, bool, m_isRunning, &AsyncRelayCommand::isRunningNotify)
    Q_OBJECT_BINDABLE_PROPERTY(AsyncRelayCommand, bool, m_canBeCanceled,
                               &AsyncRelayCommand::canBeCanceledNotify)
    Q_OBJECT_BINDABLE_PROPERTY(AsyncRelayCommand, bool, m_isCancellationRequested,
                               &AsyncRelayCommand::isCancellationRequestedNotify)
    // Drives canExecute in Reject mode; canExecuteChanged comes after the other signals of an update
    // (C14). A bindable of the object: its binding data lives in the object's binding storage, which
    // canExecute's binding has made already, so it costs one byte here (P6).
    Q_OBJECT_BINDABLE_PROPERTY(AsyncRelayCommand, bool, m_busy)
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(AsyncRelayCommand, ConcurrencyMode, m_concurrency,
                                         ConcurrencyMode::Reject, &AsyncRelayCommand::concurrencyChanged)
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(AsyncRelayCommand, int, m_timeout, 0,
                                         &AsyncRelayCommand::timeoutChanged)
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(AsyncRelayCommand, int, m_maxConcurrency, 0,
                                         &AsyncRelayCommand::maxConcurrencyNotify)
};

} // namespace CommandKit

#include "commandkit/detail/asyncrelaycommand.h"
