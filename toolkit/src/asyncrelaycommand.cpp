// SPDX-License-Identifier: MIT
#include "asyncrelaycommand_p.h"

#include <QtCore/QMetaMethod>
#include <QtCore/QPointer>
#include <QtCore/QThread>

#include <algorithm>

#include "clock_p.h"
#include "commandkit/detail/onend.h"
#include "commandkit/relaycommand.h"

namespace CommandKit {

namespace {

// What cancelCommand() returns: a type of its own, so findChild() never takes a user's RelayCommand for it.
class OwnCancelCommand final : public RelayCommand
{
    Q_OBJECT

public:
    using RelayCommand::RelayCommand;
};

/*!
    Raises a counter for its scope (m_starting): a throw anywhere inside leaves it as it was, so the
    command never stays "starting" and keeps updating its state.
*/
class Bracket
{
public:
    explicit Bracket(std::uint16_t &counter) noexcept
        : m_counter(&counter)
    {
        ++*m_counter;
    }
    ~Bracket()
    {
        if (m_counter)
            --*m_counter;
    }
    Bracket(const Bracket &) = delete;
    Bracket &operator=(const Bracket &) = delete;
    /*! The counter is gone with its command (a slot or the delegate deleted it, C13): leave it alone. */
    void dismiss() noexcept { m_counter = nullptr; }

private:
    std::uint16_t *m_counter;
};

/*! Ends an operation that never ran with \a error, without calling back into the command. */
void endFailed(const detail::StatePtr &operation, const std::exception_ptr &error)
{
    if (!operation)
        return;
    operation->setCancelCallback(nullptr);
    operation->finish(error);
}

/*! Ends an operation that never ran Canceled, without calling back into the command. */
void endCanceled(const detail::StatePtr &operation)
{
    if (!operation)
        return;
    operation->setCancelCallback(nullptr);
    operation->cancel();
    operation->finish(nullptr);
}

/*! What a run canceled before its delegate was called ends with (A9's message, as a state's). */
std::exception_ptr canceledBeforeStart(quint64 id)
{
    return std::make_exception_ptr(OperationCanceled("operation " + std::to_string(id) + " was canceled"));
}

} // namespace

void AsyncRelayCommand::setUp(const detail::StateOps *ops, detail::Starter start, bool stoppable,
                              bool takesToken)
{
    d->m_stateOps = ops;
    d->m_stoppable = stoppable || takesToken;
    d->m_takesToken = takesToken;
    d->m_start = std::move(start);
}

AsyncRelayCommand::Private::Run *AsyncRelayCommand::Private::findRun(quint64 id)
{
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [id](const Run &run) { return run.id == id; });
    return it == m_runs.end() ? nullptr : &*it;
}

AsyncRelayCommand::Private::Extras &AsyncRelayCommand::Private::extras()
{
    if (!m_extras)
        m_extras = std::make_unique<Extras>();
    return *m_extras;
}

const detail::ContextRef &AsyncRelayCommand::Private::selfRef()
{
    if (!m_self.isSet())
        m_self = detail::ContextRef(q);
    return m_self;
}

AsyncRelayCommand::AsyncRelayCommand(QObject *parent)
    : Command(parent)
    , d(std::make_unique<Private>(this))
{
    // Each command allocates one Private: 104 bytes is the block that keeps an AsyncRelayCommand within
    // a QAction's heap (P6, bench_p6_memory). A bigger Private needs room found elsewhere, or a new budget.
    static_assert(sizeof(void *) != 8 || sizeof(Private) <= 104);
}

AsyncRelayCommand::~AsyncRelayCommand()
{
    d->destroy();
}

void AsyncRelayCommand::Private::destroy() noexcept
{
    // C13: runs that end from here on must not reach this half-destroyed object, nor its tasks (deleted
    // after this, with the QObject's children) call back into it.
    m_destroying = true;
    for (QObject *child : q->children()) {
        if (auto *task = qobject_cast<ExecutionTask *>(child))
            task->m_cancel = nullptr;
    }
    // C10: runs that ended while a start was under way end their operations now.
    finishEnded();
    // C22: a debounced call that waits dies with the command; its operation ends Canceled.
    q->dropPaced();
    if (m_extras) {
        for (Queued &queued : std::exchange(m_extras->queue, {}))
            endCanceled(queued.operation);
    }
    const std::vector<Run> runs = m_runs;
    for (const Run &run : runs) {
        detail::Clock::cancel(run.timeoutCall);
        if (run.stop.stop_possible())
            run.stop.request_stop();
        // A run whose delegate was never called (deleted from a slot on a start signal) has no body:
        // it ends here, Canceled.
        if (!run.state) {
            endCanceled(run.operation);
            continue;
        }
        const bool canceled = run.state->cancel();
        if (!run.operation)
            continue;
        // C10: the caller's operation turns Canceled now (unless the body had already ended) but ends
        // only when the run's body has unwound (A5), from that end itself, which touches nothing of
        // this command.
        if (canceled) {
            run.operation->setCancelCallback(nullptr);
            run.operation->cancel();
        }
        try {
            detail::onEnd(run.state, [operation = run.operation](detail::AsyncStateBase &ended) {
                operation->finish(ended.status() == AsyncStatus::Completed ? nullptr : ended.errorCode());
            });
        } catch (...) {
            // Out of memory: the caller's operation ends now, Canceled, before the body has unwound.
            endCanceled(run.operation);
        }
    }
}

bool AsyncRelayCommand::isStoppable() const
{
    return d->m_stoppable;
}

Command *AsyncRelayCommand::cancelCommand()
{
    // Looked up rather than kept in a member (P6); its own type, so a user's child RelayCommand is never it.
    auto *cancelCommand = findChild<OwnCancelCommand *>(QString(), Qt::FindDirectChildrenOnly);
    if (!cancelCommand) {
        cancelCommand =
            new OwnCancelCommand([this] { cancel(); }, [this] { return m_canBeCanceled.value(); }, this);
        cancelCommand->setObjectName(objectName() + QStringLiteral(".cancelCommand"));
    }
    return cancelCommand;
}

bool AsyncRelayCommand::isBlocked() const
{
    return m_concurrency.value() == ConcurrencyMode::Reject && m_busy.value();
}

void AsyncRelayCommand::run(const QVariant &parameter)
{
    (void)d->start(parameter, false);
}

AsyncAction AsyncRelayCommand::executeAsync(const QVariant &parameter)
{
    if (isPaced())
        return d->executePaced(parameter);
    if (admit(parameter))
        return d->start(parameter, true);
    auto refused = detail::makeState<detail::AsyncState<void, void>>();
    endCanceled(refused);
    return detail::StateAccess::make<void, void>(std::move(refused));
}

AsyncAction AsyncRelayCommand::Private::executePaced(const QVariant &parameter)
{
    detail::StatePtr operation;
    try {
        operation = makeOperation();
    } catch (...) {
        return notStarted(nullptr, std::current_exception());
    }
    // The call runs later (debounce) or not at all (throttle, a wrong type): the operation is the
    // caller's handle meanwhile, and ends Canceled if the call never runs (C22, C23).
    const bool taken = q->pace(
        parameter,
        [this, operation](const QVariant &p) {
            if (m_extras && m_extras->paced == operation)
                m_extras->paced = nullptr;
            if (!q->admit(p))
                return false;
            (void)startWith(p, operation);
            return true;
        },
        [operation] { endCanceled(operation); });
    if (!taken) {
        if (!q->admit(parameter)) {
            endCanceled(operation);
            return detail::StateAccess::make<void, void>(std::move(operation));
        }
        q->paceStarted();
        return startWith(parameter, operation);
    }
    if (operation->status() == AsyncStatus::Started) {
        try {
            extras().paced = operation;
        } catch (...) {
            // Out of memory: its own cancel() cannot find the call; cancel() on the command still can.
        }
    }
    return detail::StateAccess::make<void, void>(std::move(operation));
}

detail::StatePtr AsyncRelayCommand::Private::makeOperation()
{
    auto operation = detail::makeState<detail::AsyncState<void, void>>();
    // The caller's cancel() cancels the run, on this command's thread (C11, C12).
    operation->setCancelCallback([self = selfRef(), this, id = operation->id()] {
        if (self.isCurrentThread())
            cancelOperation(id);
        else
            self.post([this, id] { cancelOperation(id); });
    });
    return operation;
}

AsyncAction AsyncRelayCommand::Private::start(const QVariant &parameter, bool withOperation)
{
    detail::StatePtr operation;
    try {
        operation = withOperation ? makeOperation() : nullptr;
    } catch (...) {
        return notStarted(std::move(operation), std::current_exception());
    }
    return startWith(parameter, std::move(operation));
}

AsyncAction AsyncRelayCommand::Private::startWith(const QVariant &parameter, detail::StatePtr operation)
{
    try {
        // Queue: behind the running one. Parallel: past maxConcurrency. In both, behind those waiting.
        const ConcurrencyMode mode = q->m_concurrency.value();
        if ((mode == ConcurrencyMode::Queue || mode == ConcurrencyMode::Parallel) &&
            (hasQueued() || !hasRoom())) {
            extras().queue.push_back({operation, parameter});
            return detail::StateAccess::make<void, void>(std::move(operation));
        }
    } catch (...) {
        return notStarted(std::move(operation), std::current_exception());
    }
    std::exception_ptr error;
    const Update update = openUpdate();
    {
        // Every path out of here closes the update: a throw while the run is made must not leave the
        // command deferring its signals, or "starting" (C14).
        const Bracket starting(m_starting);
        try {
            if (q->m_concurrency.value() == ConcurrencyMode::Restart) {
                // A canceled run may end right here; m_starting keeps isRunning from flickering (C8).
                for (const quint64 id : runIds())
                    stop(id);
            }
            begin(parameter, operation);
        } catch (...) {
            error = std::current_exception();
        }
    }
    updateState();
    // The start's signals, then the delegate's first line (C7, C14).
    const bool alive = closeUpdate(update);
    if (error && !alive) {
        // A slot deleted the command: the error is still the caller's operation's.
        endFailed(operation, error);
    } else if (error) {
        return notStarted(std::move(operation), error);
    }
    return detail::StateAccess::make<void, void>(std::move(operation));
}

AsyncAction AsyncRelayCommand::Private::notStarted(detail::StatePtr operation,
                                                   const std::exception_ptr &error)
{
    // Making the run failed (out of memory, a parameter that throws when copied): nothing of it is
    // left, the command is as it was. The failure is the caller's operation's error, and C9's.
    endFailed(operation, error);
    try {
        q->handleError(error);
    } catch (...) {
        // Reporting failed too (out of memory): the operation still carries the error.
    }
    if (!operation)
        return {};
    return detail::StateAccess::make<void, void>(std::move(operation));
}

void AsyncRelayCommand::Private::begin(const QVariant &parameter, detail::StatePtr operation)
{
    // Everything that may throw comes first, and is undone if it does: the command's state changes
    // only once the run is complete (no throw past this point).
    // relaxed: ids only need to be unique and increasing (A2).
    const quint64 id =
        operation ? operation->id() : detail::nextOperationId.fetch_add(1, std::memory_order_relaxed);
    Run run{id, nullptr, std::move(operation), nullptr, parameter};
    run.values.progress = m_stateOps->initialProgress();
    if (m_takesToken)
        run.stop = std::stop_source();
    // A waiting run whose operation was canceled from another thread (the request is on its way here)
    // never calls its delegate (C8).
    run.canceled = run.operation && run.operation->cancellationRequested();
    // Made with the first run: it keeps the current run once ended (Extras::ended), and an end must
    // not need an allocation.
    Extras &kept = extras();
    m_runs.push_back(std::move(run));
    try {
        if (const int timeout = q->m_timeout.value(); timeout > 0) {
            // On CommandKit's clock (A23), on this thread; canceled when the run ends, dropped with the
            // command.
            m_runs.back().timeoutCall = detail::Clock::callAfter(std::chrono::milliseconds(timeout),
                                                                 selfRef(), [this, id] { cancelRun(id); });
        }
    } catch (...) {
        m_runs.pop_back();
        throw;
    }

    // C7, C14: all of this before the delegate's first line; the signals go out when the update closes.
    // The new run is the current one from here (currentId()). The previous current run, if it had
    // ended: its task (if one was made) is deleted, its operation released.
    if (kept.ended) {
        retire(kept.ended->task);
        kept.ended.reset();
    }
    q->m_executionTask.notify();
    q->m_isRunning = true;
    q->m_canBeCanceled = m_stoppable;
    q->m_isCancellationRequested = false;
    if (m_extras)
        m_extras->endedError.reset();
    q->setLastError(QString());
    setBusy(true);
}

bool AsyncRelayCommand::Private::launchPending()
{
    const QPointer<AsyncRelayCommand> alive(q);
    bool launched = false;
    {
        Bracket starting(m_starting);
        for (;;) {
            // Looked up again each time: a delegate that ends at once changes m_runs.
            const auto it =
                std::find_if(m_runs.begin(), m_runs.end(), [](const Run &run) { return !run.launched; });
            if (it == m_runs.end() || m_destroying)
                break;
            launch(it->id);
            if (!alive) {
                starting.dismiss();
                return false;
            }
            launched = true;
        }
    }
    if (launched && !m_destroying) {
        // A run that ended inside its launch: the end's state, its signals, its errors.
        const Update update = openUpdate();
        updateState();
        return closeUpdate(update);
    }
    return true;
}

void AsyncRelayCommand::Private::launch(quint64 id) noexcept
{
    Run *run = findRun(id);
    run->launched = true;
    const QVariant parameter = std::exchange(run->parameter, QVariant());
    detail::StatePtr state;
    std::exception_ptr error;
    bool tapped = false;
    if (run->canceled) {
        // Canceled from a slot on the start's signals: the delegate is never called.
        error = canceledBeforeStart(id);
    } else {
        const QPointer<AsyncRelayCommand> alive(q);
        try {
            static const detail::ProgressSink noTap;
            state =
                m_start(parameter, run->stop.get_token(), m_extras ? m_extras->progressTap : noTap, tapped);
            if (!state) {
                error = std::make_exception_ptr(
                    AsyncError(AsyncError::IllegalMethodCall,
                               "the command's delegate returned an empty AsyncOperation"));
            }
        } catch (...) {
            // Thrown by the delegate (it is not a coroutine) or by its parameter's conversion: the run
            // fails (C9).
            error = std::current_exception();
        }
        if (!alive) {
            // The delegate deleted its command, which canceled the run (C13): so is what it returned.
            if (state)
                state->cancel();
            return;
        }
    }
    // The delegate may have started runs or canceled this one (never ended it: nothing observed it yet).
    run = findRun(id);
    if (!run)
        return;
    if (!error) {
        try {
            attach(*run, state, tapped);
            return;
        } catch (...) {
            // Out of memory attaching to the operation: the run fails (C9); nothing observes it.
            error = std::current_exception();
            state->cancel();
        }
    }
    endRun(id, isCancellation(error) ? AsyncStatus::Canceled : AsyncStatus::Error, error, QVariant());
}

void AsyncRelayCommand::Private::attach(Run &run, detail::StatePtr state, bool tapped)
{
    // C5: the run is this operation from here on, whatever else the delegate started.
    const quint64 id = run.id;
    const detail::StatePtr operation = run.operation;
    const bool canceled = run.canceled;
    run.state = state;
    if (run.task)
        run.task->attach(state);
    // The delegate's std::stop_token is stopped when its operation is canceled, by whoever cancels it
    // (C5, A13). An operation whose body took a token of its own keeps it: only the command's cancel()
    // reaches the delegate's token then.
    if (run.stop.stop_possible())
        (void)state->shareStopSource(run.stop);
    // An operation the delegate did not make while it ran (one made earlier): recorded from here on.
    if (m_extras && m_extras->progressTap && !tapped)
        m_stateOps->tap(*state, m_extras->progressTap);
    // Reports made before the delegate returned arrive as the latest of them (A7's latest value wins).
    // The observer follows the operation, not this run: every run of this command that is this
    // operation (a shared one, C5) shows its progress. Another command observing it takes it over.
    const QVariant latest =
        m_stateOps->observe(*state, selfRef(), [this, operationId = state->id()](const QVariant &progress) {
            onOperationProgress(operationId, progress);
        });
    // A cancel() that came while the delegate ran (C11) reaches its operation now; one that had already
    // ended keeps its real outcome (A4).
    if (canceled && state->cancel()) {
        if (Run *still = findRun(id))
            updateTask(*still, AsyncStatus::Canceled, true, QVariant(), errorMessage(state->errorCode()));
        if (operation) {
            operation->setCancelCallback(nullptr);
            operation->cancel();
        }
    }
    if (Run *still = findRun(id); still && latest.isValid())
        showProgress(*still, latest);
    // The end runs where the body ends if that is this command's thread (at once if it has already
    // ended), else it is posted here (C12); dropped once the command is gone (C13). An operation that
    // another run or command already watches (the delegate returned a shared one) gets a continuation.
    std::function<void()> observer = [this, id] { onRunEnded(id); };
    if (!state->observeEnd(selfRef(), observer)) {
        detail::onEnd(state, [self = selfRef(), this, id](detail::AsyncStateBase &) {
            self.post([this, id] { onRunEnded(id); });
        });
    }
}

AsyncRelayCommand::Private::Update AsyncRelayCommand::Private::openUpdate()
{
    if (m_updating++ > 0)
        return {};
    q->deferCanExecuteChanged();
    return {true, currentId(), q->m_isRunning.value(), q->m_canBeCanceled.value(),
            q->m_isCancellationRequested.value()};
}

bool AsyncRelayCommand::Private::closeUpdate(const Update &update)
{
    if (--m_updating > 0 || !update.outermost)
        return true;
    // Every value is final here; the signals go out now, each for a real change only (C14). The
    // notifiers above stay silent during an update (in Qt 6.4 a property update group would not hold
    // back the NOTIFY signal of a directly set bindable). No Qt::beginPropertyUpdateGroup(): on Qt 6.4.2
    // QML bindings on these bindables missed updates inside a group (CommandButton's busy and cancels
    // stayed false in Reject mode), so a binding on a bindable is still notified as each value is set;
    // setBusy() comes last, so canExecute's own binding reads the final state.
    // A slot may delete the command from any of these signals (C13): after that nothing here, nor in
    // the callers, touches it or this Private.
    const QPointer<QObject> alive(q);
    const auto emitIf = [this, &alive](bool changed, void (AsyncRelayCommand::*signal)()) {
        if (changed)
            Q_EMIT(q->*signal)();
        return !alive.isNull();
    };
    const bool cancellationRequested = q->m_isCancellationRequested.value();
    const bool requestedNow = cancellationRequested && !update.isCancellationRequested;
    // docs/commands.md: a cancel() announces the request first, then the task's new status.
    if (!emitIf(requestedNow, &AsyncRelayCommand::isCancellationRequestedChanged))
        return false;
    // A copy (shared, not allocated); a child a slot has deleted meanwhile is no longer among the
    // command's children, so it is skipped before it is touched.
    const QObjectList tasks = q->children();
    for (QObject *child : tasks) {
        if (!q->children().contains(child))
            continue;
        if (auto *task = qobject_cast<ExecutionTask *>(child))
            task->emitPending(alive);
        if (!alive)
            return false;
    }
    if (!emitIf(currentId() != update.currentId, &AsyncRelayCommand::executionTaskChanged) ||
        !emitIf(q->m_isRunning.value() != update.isRunning, &AsyncRelayCommand::isRunningChanged) ||
        !emitIf(q->m_canBeCanceled.value() != update.canBeCanceled,
                &AsyncRelayCommand::canBeCanceledChanged) ||
        !emitIf(cancellationRequested != update.isCancellationRequested && !requestedNow,
                &AsyncRelayCommand::isCancellationRequestedChanged))
        return false;
    q->releaseCanExecuteChanged();
    if (!alive)
        return false;
    if (m_starting > 0 || m_destroying)
        return true;
    if (!launchPending())
        return false;
    // C14: errorOccurred comes after the end's property signals, also for a run that ended inside
    // start() or cancel(), where the update was deferred.
    if (m_extras) {
        for (const std::exception_ptr &error : std::exchange(m_extras->failed, {})) {
            q->handleError(error);
            if (!alive)
                return false;
        }
        // C17: the results of completed runs, with the same state (and after the same signals).
        for (const QVariant &result : std::exchange(m_extras->results, {})) {
            if (m_destroying)
                break;
            deliverResult(result);
            if (!alive)
                return false;
        }
        // C10: the operations of runs that ended inside a start, a launch or a cancel, now that the
        // state is final; last, as for every run (endRun()).
        finishEnded();
        if (!alive)
            return false;
    }
    return true;
}

void AsyncRelayCommand::setResultCallback(ResultCallback callback)
{
    if (callback || d->m_extras)
        d->extras().resultCallback = std::move(callback);
}

bool AsyncRelayCommand::Private::wantsResults() const
{
    return (m_extras && m_extras->resultCallback) ||
           q->isSignalConnected(QMetaMethod::fromSignal(&AsyncRelayCommand::resultReady));
}

void AsyncRelayCommand::Private::deliverResult(const QVariant &result)
{
    if (m_extras && m_extras->resultCallback) {
        // A copy: the callback may replace itself (onResult() inside it), or delete the command (C13).
        const ResultCallback callback = m_extras->resultCallback;
        const QPointer<AsyncRelayCommand> alive(q);
        try {
            callback(result);
        } catch (...) {
            // C9: never into the event loop; the run itself completed, so lastError stays as it is.
            if (alive)
                q->handleError(std::current_exception());
            return;
        }
        if (!alive)
            return;
    }
    Q_EMIT q->resultReady(result);
}

void AsyncRelayCommand::isRunningNotify()
{
    if (d->m_updating == 0)
        Q_EMIT isRunningChanged();
}

void AsyncRelayCommand::canBeCanceledNotify()
{
    if (d->m_updating == 0)
        Q_EMIT canBeCanceledChanged();
}

void AsyncRelayCommand::isCancellationRequestedNotify()
{
    if (d->m_updating == 0)
        Q_EMIT isCancellationRequestedChanged();
}

void AsyncRelayCommand::Private::onRunEnded(quint64 id)
{
    if (m_destroying)
        return;
    const Run *run = findRun(id);
    if (!run || !run->state)
        return;
    const detail::AsyncStateBase &state = *run->state;
    const AsyncStatus status = state.status();
    QVariant result;
    try {
        if (status == AsyncStatus::Completed)
            result = m_stateOps->result(state);
    } catch (...) {
        // Out of memory reading the result: the task shows none; the operation still carries it.
    }
    endRun(id, status, state.errorCode(), result);
}

void AsyncRelayCommand::Private::endRun(quint64 id, AsyncStatus status, const std::exception_ptr &error,
                                        const QVariant &result)
{
    Run *found = findRun(id);
    if (!found)
        return;
    const Update update = openUpdate();
    const bool current = found->id == currentId();
    Run run = std::move(*found);
    m_runs.erase(m_runs.begin() + (found - m_runs.data()));
    detail::Clock::cancel(run.timeoutCall);
    if (!run.state && !run.operation && error) {
        // A run that never got an operation (its delegate threw, or was never called): the task's
        // operation() tells its end all the same.
        try {
            auto ended = detail::makeState<detail::AsyncState<void, void>>();
            ended->finish(error);
            run.state = std::move(ended);
            if (run.task)
                run.task->attach(run.state);
        } catch (...) {
            // Out of memory: operation() stays empty; status and errorString tell the end.
        }
    }
    try {
        updateTask(run, status, false, result, errorMessage(error));
    } catch (...) {
        // Out of memory: the task keeps its old values, the command goes on.
    }
    // C10: the caller's operation ends last, once the command's state is final (below).
    detail::StatePtr ending = run.operation;
    // The current run stays executionTask after its end; an earlier one (Parallel) is done with. Before
    // startWaiting(): the next run's start replaces the current one.
    if (current)
        m_extras->ended.emplace(std::move(run));
    else
        retire(run.task);

    // Queue, and Parallel past maxConcurrency: the next waiting run starts now (in the same update, so
    // isRunning stays true); one canceled while it waited has left the queue (C8).
    startWaiting();
    if (status == AsyncStatus::Error) {
        try {
            extras().failed.push_back(error);
            // Applied by updateState(), with isRunning: an end inside a start waits for the start (C14, C18).
            // Not when the queue's next run has just started here: a start clears lastError.
            if (!update.outermost || currentId() == update.currentId)
                m_extras->endedError = errorMessage(error);
        } catch (...) {
            // Out of memory: this error goes unreported; the run's task and operation still carry it.
        }
    } else if (status == AsyncStatus::Completed && wantsResults()) {
        try {
            extras().results.push_back(result);
        } catch (...) {
            // Out of memory: this result goes undelivered; the run's task and operation still carry it.
        }
    }
    // The state is final after this update, unless the end came inside a start, a launch or a cancel,
    // whose own update makes it final later: closeUpdate() ends the operation then.
    const std::exception_ptr outcome = status == AsyncStatus::Completed ? nullptr : error;
    if (ending && (!update.outermost || m_starting > 0)) {
        try {
            m_extras->finishing.push_back({ending, outcome});
            ending = nullptr;
        } catch (...) {
            // Out of memory: it ends below, before the command's state is final.
        }
    }
    updateState();
    (void)closeUpdate(update); // what follows touches only copies
    if (ending)
        ending->finish(outcome);
}

void AsyncRelayCommand::Private::finishEnded() noexcept
{
    if (!m_extras)
        return;
    // A copy: a completed handler may start runs that end here too, or delete the command.
    for (const Finishing &ended : std::exchange(m_extras->finishing, {}))
        ended.operation->finish(ended.error);
}

bool AsyncRelayCommand::Private::hasRoom() const
{
    if (q->m_concurrency.value() == ConcurrencyMode::Parallel) {
        const int limit = q->m_maxConcurrency.value();
        return limit <= 0 || m_runs.size() < std::size_t(limit);
    }
    return m_runs.empty();
}

void AsyncRelayCommand::Private::startWaiting()
{
    // A waiting run that cannot be made ends with that error and the next one gets its turn.
    while (hasQueued() && hasRoom()) {
        Queued next = m_extras->queue.takeFirst();
        try {
            const Bracket starting(m_starting);
            begin(next.parameter, next.operation);
        } catch (...) {
            const std::exception_ptr error = std::current_exception();
            endFailed(next.operation, error);
            try {
                extras().failed.push_back(error);
            } catch (...) {
                // Out of memory: unreported; the caller's operation carries the error.
            }
        }
    }
}

void AsyncRelayCommand::setMaxConcurrency(int runs)
{
    m_maxConcurrency = std::max(0, runs);
}

void AsyncRelayCommand::maxConcurrencyNotify()
{
    Q_EMIT maxConcurrencyChanged();
    if (!d->hasQueued() || !d->hasRoom() || d->m_destroying)
        return;
    // A higher limit: waiting runs start, posted, so never from inside a binding that set the value.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!d->hasQueued() || !d->hasRoom())
                return;
            const Private::Update update = d->openUpdate();
            d->startWaiting();
            d->updateState();
            (void)d->closeUpdate(update);
        },
        Qt::QueuedConnection);
}

void AsyncRelayCommand::Private::onOperationProgress(quint64 operationId, const QVariant &progress)
{
    if (m_destroying)
        return;
    const auto isOf = [operationId](const Run &run) { return run.state && run.state->id() == operationId; };
    // By index: a slot on a task's progressChanged may start or end runs, or delete the command (C13).
    const QPointer<AsyncRelayCommand> alive(q);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (!isOf(m_runs[i]))
            continue;
        showProgress(m_runs[i], progress);
        if (!alive || m_destroying)
            return;
    }
    // The current run after its end: a report posted before the end arrives after it.
    if (m_extras && m_extras->ended && isOf(*m_extras->ended))
        showProgress(*m_extras->ended, progress);
}

std::vector<quint64> AsyncRelayCommand::Private::runIds() const
{
    std::vector<quint64> ids;
    ids.reserve(m_runs.size());
    for (const Run &run : m_runs)
        ids.push_back(run.id);
    return ids;
}

void AsyncRelayCommand::cancel()
{
    if (d->m_destroying)
        return;
    if (thread() != QThread::currentThread()) {
        QMetaObject::invokeMethod(this, &AsyncRelayCommand::cancel, Qt::QueuedConnection);
        return;
    }
    // C22: a debounced call that waits is dropped too; its operation ends Canceled.
    if (d->m_extras)
        d->m_extras->paced = nullptr;
    dropPaced();
    if ((d->m_runs.empty() || !d->m_stoppable) && !d->hasQueued())
        return;
    const Private::Update update = d->openUpdate();
    {
        const Bracket starting(d->m_starting);
        m_isCancellationRequested = true;
        for (Private::Queued &queued :
             d->m_extras ? std::exchange(d->m_extras->queue, {}) : QList<Private::Queued>())
            endCanceled(queued.operation);
        for (const quint64 id : d->m_stoppable ? d->runIds() : std::vector<quint64>())
            d->stop(id);
    }
    d->updateState();
    (void)d->closeUpdate(update);
}

void AsyncRelayCommand::Private::cancelRun(quint64 id)
{
    if (m_destroying || !findRun(id) || !m_stoppable)
        return;
    const Update update = openUpdate();
    {
        const Bracket starting(m_starting);
        q->m_isCancellationRequested = true;
        stop(id);
    }
    updateState();
    (void)closeUpdate(update);
}

bool AsyncRelayCommand::Private::stop(quint64 id)
{
    Run *run = findRun(id);
    if (!run || run->canceled)
        return false;
    // Copies: what cancel() reaches runs synchronously and may end this run, or start others.
    const detail::StatePtr state = run->state;
    const detail::StatePtr operation = run->operation;
    std::stop_source stopSource = run->stop;
    const bool calling = run->launched && !state; // the delegate is being called
    // A4: a no-op unless Started. A body that has already ended (its end is on its way to this thread)
    // is left alone: its task and operation must tell the outcome it really had.
    if (state && !state->cancel())
        return false;
    QString message;
    try {
        message = errorMessage(state ? state->errorCode() : canceledBeforeStart(id));
    } catch (...) {
        // Out of memory: the task's errorString comes with the end.
    }
    if (Run *still = findRun(id)) {
        still->canceled = true;
        // The task shows Canceled at once, while its body unwinds (A3). Not while the delegate is being
        // called: the operation it returns may have ended already, and then keeps its outcome (attach()).
        try {
            if (!calling)
                updateTask(*still, AsyncStatus::Canceled, true, QVariant(), message);
        } catch (...) {
            // Out of memory: the task shows Canceled at the end.
        }
    }
    if (stopSource.stop_possible())
        stopSource.request_stop();
    // The caller's operation turns Canceled at once too. Its cancel callback is dropped first: it
    // would only come back here, and would set isCancellationRequested in the middle of a Restart.
    if (operation && !calling) {
        operation->setCancelCallback(nullptr);
        operation->cancel();
    }
    return true;
}

void AsyncRelayCommand::Private::cancelOperation(quint64 operationId)
{
    if (m_destroying)
        return;
    if (m_extras && m_extras->paced && m_extras->paced->id() == operationId) {
        // The debounced call that waits: dropped, its operation is already Canceled (C22).
        m_extras->paced = nullptr;
        q->dropPaced();
        return;
    }
    const auto run = std::find_if(m_runs.begin(), m_runs.end(), [operationId](const Run &r) {
        return r.operation && r.operation->id() == operationId;
    });
    if (run != m_runs.end()) {
        cancelRun(run->id);
        return;
    }
    if (!hasQueued())
        return;
    QList<Queued> &queue = m_extras->queue;
    const auto queued = std::find_if(queue.begin(), queue.end(), [operationId](const Queued &q) {
        return q.operation && q.operation->id() == operationId;
    });
    if (queued != queue.end()) {
        // Already Canceled by the caller's cancel(); it never runs.
        detail::StatePtr operation = queued->operation;
        queue.erase(queued);
        endCanceled(operation);
    }
}

void AsyncRelayCommand::setProgressTap(detail::ProgressSink tap)
{
    d->extras().progressTap = std::move(tap);
    for (const Private::Run &run : d->m_runs) {
        if (run.state)
            d->m_stateOps->tap(*run.state, d->m_extras->progressTap);
    }
}

void AsyncRelayCommand::Private::updateState()
{
    if (m_starting > 0 || m_destroying)
        return;
    const bool running = !m_runs.empty();
    const bool cancelable =
        m_stoppable && std::any_of(m_runs.begin(), m_runs.end(), [](const Run &run) {
            return !run.canceled && (!run.state || run.state->status() == AsyncStatus::Started);
        });
    q->m_isRunning = running;
    q->m_canBeCanceled = cancelable;
    if (m_extras && m_extras->endedError)
        q->setLastError(*std::exchange(m_extras->endedError, std::nullopt));
    setBusy(running);
}

void AsyncRelayCommand::Private::setBusy(bool busy)
{
    if (q->m_busy.value() == busy)
        return;
    q->m_busy = busy;
    // C8: in Reject mode a start or an end changes every parameterised answer, so listeners must
    // re-query even when the empty-parameter answer did not change; once per update either way.
    if (q->m_concurrency.value() == ConcurrencyMode::Reject)
        q->requeryCanExecute();
}

void AsyncRelayCommand::Private::retire(ExecutionTask *task) noexcept
{
    if (!task)
        return;
    try {
        task->retire();
    } catch (...) {
        // Out of memory posting its deletion: it stays a child of the command, deleted with it.
    }
}

ExecutionTask *AsyncRelayCommand::executionTask() const
{
    // Through the property, so that a binding calling this getter depends on it.
    return m_executionTask.value();
}

ExecutionTask *AsyncRelayCommand::makeExecutionTask() const
{
    return d->currentTask();
}

ExecutionTask *AsyncRelayCommand::Private::currentTask()
{
    if (QThread::currentThread() != q->thread()) {
        // The runs change on the command's thread only: nothing of them is read, nor a task made, here.
        qWarning("CommandKit: %s: executionTask read on another thread than the command's; it is null "
                 "there (C12): read it on the command's thread",
                 qPrintable(q->describe()));
        return nullptr;
    }
    Run *run = findShown(currentId());
    if (!run)
        return nullptr;
    if (!run->task && !m_destroying) {
        try {
            run->task = new ExecutionTask(
                run->id, run->values, run->operation, [this, id = run->id] { cancelRun(id); }, q);
        } catch (...) {
            // Out of memory: no task this time; the next read tries again (documented).
            return nullptr;
        }
        run->task->attach(run->state);
    }
    return run->task;
}

quint64 AsyncRelayCommand::Private::currentId() const
{
    if (m_extras && m_extras->ended)
        return m_extras->ended->id;
    return m_runs.empty() ? 0 : m_runs.back().id;
}

AsyncRelayCommand::Private::Run *AsyncRelayCommand::Private::findShown(quint64 id)
{
    if (Run *run = findRun(id))
        return run;
    if (m_extras && m_extras->ended && m_extras->ended->id == id)
        return &*m_extras->ended;
    return nullptr;
}

void AsyncRelayCommand::Private::updateTask(Run &run, AsyncStatus status, bool running, QVariant result,
                                            QString errorString)
{
    if (run.task)
        run.task->update(status, running, std::move(result), std::move(errorString));
    else
        (void)run.values.update(status, running, std::move(result), std::move(errorString));
}

void AsyncRelayCommand::Private::showProgress(Run &run, const QVariant &progress)
{
    if (run.task)
        run.task->setProgress(progress);
    else
        (void)run.values.setProgress(progress);
}

} // namespace CommandKit

#include "asyncrelaycommand.moc"
