// SPDX-License-Identifier: MIT
#include "commandkit/executiontask.h"

#include "commandkit/asyncrelaycommand.h"

namespace CommandKit {

ExecutionTask::ExecutionTask(detail::StatePtr state,
                             detail::StatePtr operation, AsyncRelayCommand *command)
    : QObject(command)
    , m_state(std::move(state))
    , m_operation(operation ? std::move(operation) : m_state)
{}

ExecutionTask::~ExecutionTask() = default;

quint64 ExecutionTask::id() const
{
    return m_operation->id();
}

AsyncAction ExecutionTask::operation() const
{
    return detail::StateAccess::make<void, void>(m_operation);
}

void ExecutionTask::cancel()
{
    if (auto *command = qobject_cast<AsyncRelayCommand *>(parent()))
        command->cancelRun(this);
    else
        m_state->cancel();
}

void ExecutionTask::refresh(bool ended)
{
    const AsyncStatus status = m_state->status();
    const bool running = !ended;
    QVariant result = m_state->resultVariant();
    QString errorString = errorMessage(m_state->errorCode());
    if (result != m_result) {
        m_result = std::move(result);
        Q_EMIT resultChanged();
    }
    if (errorString != m_errorString) {
        m_errorString = std::move(errorString);
        Q_EMIT errorStringChanged();
    }
    if (status != m_status) {
        m_status = status;
        Q_EMIT statusChanged();
    }
    if (running != m_running) {
        m_running = running;
        Q_EMIT isRunningChanged();
    }
}

void ExecutionTask::setProgress(const QVariant &progress)
{
    // C14: a body may report the same value again; only a real change notifies.
    if (progress == m_progress)
        return;
    m_progress = progress;
    Q_EMIT progressChanged();
}

} // namespace CommandKit
