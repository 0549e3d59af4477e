// SPDX-License-Identifier: MIT
#include "commandkit/asyncrelaycommand.h"

#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>

#include "commandkit/relaycommand.h"

namespace CommandKit {

void AsyncRelayCommand::setUp(StateFactory makeState, Starter start, bool stoppable)
{
    m_makeState = makeState;
    m_stoppable = stoppable;
    m_start = std::move(start);
    m_self = detail::ContextRef(this);
}

AsyncRelayCommand::~AsyncRelayCommand()
{
    // C13: runs that end from here on must not reach this half-destroyed object.
    m_destroying = true;
    for (Queued &queued : m_queue) {
        queued.state->cancel();
        queued.state->finish(nullptr);
    }
    m_queue.clear();
    const std::vector<Run> runs = m_runs;
    for (const Run &run : runs)
        run.state->cancel();
}

Command *AsyncRelayCommand::cancelCommand()
{
    if (!m_cancelCommand) {
        m_cancelCommand = new RelayCommand([this] { cancel(); }, [this] { return m_canBeCanceled.value(); }, this);
        m_cancelCommand->setObjectName(objectName() + QStringLiteral(".cancelCommand"));
    }
    return m_cancelCommand;
}

bool AsyncRelayCommand::isBlocked() const
{
    return m_concurrency.value() == ConcurrencyMode::Reject && m_busy.value();
}

void AsyncRelayCommand::run(const QVariant &parameter)
{
    (void)start(parameter);
}

AsyncAction AsyncRelayCommand::executeAsync(const QVariant &parameter)
{
    if (admit(parameter))
        return start(parameter);
    auto refused = m_makeState();
    refused->cancel();
    refused->finish(nullptr);
    return detail::StateAccess::make<void, void>(std::move(refused));
}

AsyncAction AsyncRelayCommand::start(const QVariant &parameter)
{
    auto state = m_makeState();
    const ConcurrencyMode mode = m_concurrency.value();
    if (mode == ConcurrencyMode::Queue && (!m_runs.empty() || !m_queue.empty())) {
        m_queue.push_back({state, parameter});
        return detail::StateAccess::make<void, void>(std::move(state));
    }
    ++m_starting;
    if (mode == ConcurrencyMode::Restart) {
        // A canceled run may end right here; m_starting keeps isRunning from flickering (C8).
        const std::vector<Run> runs = m_runs;
        for (const Run &run : runs)
            run.state->cancel();
    }
    begin(state, parameter);
    --m_starting;
    updateState();
    return detail::StateAccess::make<void, void>(std::move(state));
}

void AsyncRelayCommand::begin(std::shared_ptr<detail::AsyncStateBase> state, const QVariant &parameter)
{
    const quint64 id = state->id();
    auto *task = new ExecutionTask(state, this);
    m_runs.push_back({state, task});

    state->observeProgress(m_self, [this, id](const QVariant &progress) { onRunProgress(id, progress); });
    // Runs where the body ends; hops to this command's thread unless already there (C12). Posting
    // through m_self drops it once the command is gone (C13).
    auto ended = [self = m_self, this, id] {
        if (self.isCurrentThread())
            onRunEnded(id);
        else
            self.post([this, id] { onRunEnded(id); });
    };
    state->addContinuation(new detail::OwnedContinuation<decltype(ended)>(std::move(ended)));
    if (const int timeout = m_timeout.value(); timeout > 0) {
        // The task is the timer's context: the timer dies with the task, never outlives the command.
        QTimer::singleShot(timeout, task, [this, task] { cancelRun(task); });
    }

    // C7, C14: all of this before the delegate's first line, in the documented order.
    ExecutionTask *previous = m_executionTask.value();
    m_executionTask = task;
    retire(previous);
    m_isRunning = true;
    m_canBeCanceled = m_stoppable;
    m_isCancellationRequested = false;
    setBusy(true);

    try {
        m_start(state, parameter);
    } catch (...) {
        // Thrown before the delegate built an operation (it is not a coroutine): the run fails (C9).
        state->finish(std::current_exception());
    }
}

void AsyncRelayCommand::onRunEnded(quint64 id)
{
    if (m_destroying)
        return;
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [id](const Run &run) { return run.state->id() == id; });
    if (it == m_runs.end())
        return;
    const Run run = *it;
    m_runs.erase(it);
    run.task->refresh();

    // Queue: start the next one that was not canceled while it waited (C8).
    while (m_runs.empty() && !m_queue.empty()) {
        Queued next = std::move(m_queue.front());
        m_queue.pop_front();
        if (next.state->status() != AsyncStatus::Started) {
            next.state->finish(nullptr);
            continue;
        }
        ++m_starting;
        begin(std::move(next.state), next.parameter);
        --m_starting;
    }
    if (run.task != m_executionTask.value())
        retire(run.task);
    if (run.state->status() == AsyncStatus::Error)
        m_failed.push_back(run.state->errorCode());
    updateState();
}

void AsyncRelayCommand::onRunProgress(quint64 id, const QVariant &progress)
{
    if (m_destroying)
        return;
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [id](const Run &run) { return run.state->id() == id; });
    if (it != m_runs.end())
        it->task->setProgress(progress);
    else if (ExecutionTask *task = m_executionTask.value(); task && task->id() == id)
        task->setProgress(progress);
}

void AsyncRelayCommand::cancel()
{
    if (thread() != QThread::currentThread()) {
        QMetaObject::invokeMethod(this, &AsyncRelayCommand::cancel, Qt::QueuedConnection);
        return;
    }
    if ((m_runs.empty() || !m_stoppable) && m_queue.empty())
        return;
    ++m_starting;
    m_isCancellationRequested = true;
    std::deque<Queued> queue = std::exchange(m_queue, {});
    for (Queued &queued : queue) {
        queued.state->cancel();
        queued.state->finish(nullptr);
    }
    const std::vector<Run> runs = m_stoppable ? m_runs : std::vector<Run>();
    for (const Run &run : runs) {
        run.state->cancel();
        run.task->refresh();
    }
    --m_starting;
    updateState();
}

void AsyncRelayCommand::cancelRun(ExecutionTask *task)
{
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [task](const Run &run) { return run.task == task; });
    if (it == m_runs.end() || !m_stoppable)
        return;
    ++m_starting;
    m_isCancellationRequested = true;
    const Run run = *it;
    run.state->cancel();
    run.task->refresh();
    --m_starting;
    updateState();
}

void AsyncRelayCommand::updateState()
{
    if (m_starting > 0 || m_destroying)
        return;
    const bool running = !m_runs.empty();
    const bool cancelable = m_stoppable && std::any_of(m_runs.begin(), m_runs.end(), [](const Run &run) {
        return run.state->status() == AsyncStatus::Started;
    });
    m_isRunning = running;
    m_canBeCanceled = cancelable;
    setBusy(running);
    // C14: errorOccurred comes after the end's property signals, also for a run that ended inside
    // start() or cancel(), where the update above was deferred.
    for (const std::exception_ptr &error : std::exchange(m_failed, {}))
        handleError(error);
}

void AsyncRelayCommand::setBusy(bool busy)
{
    if (m_busy.value() == busy)
        return;
    const bool before = canExecute();
    m_busy = busy;
    // C8: in Reject mode a start or an end changes every parameterised answer, so listeners must
    // re-query even when the empty-parameter answer (and with it the binding's signal) did not change.
    if (m_concurrency.value() == ConcurrencyMode::Reject && canExecute() == before)
        Q_EMIT canExecuteChanged();
}

void AsyncRelayCommand::retire(ExecutionTask *task)
{
    // Keep a task while its run is alive (Parallel mode) or while it is the current one.
    if (!task || task == m_executionTask.value())
        return;
    const bool alive =
        std::any_of(m_runs.begin(), m_runs.end(), [task](const Run &run) { return run.task == task; });
    if (!alive)
        task->deleteLater();
}

} // namespace CommandKit
