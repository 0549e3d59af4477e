// SPDX-License-Identifier: MIT
#include "primechecksmodel.h"

#include <commandkit/executiontask.h>

#include <algorithm>
#include <cmath>

using CommandKit::AsyncStatus;
using CommandKit::ExecutionTask;

PrimeChecksModel::PrimeChecksModel(QObject *parent)
    : QAbstractListModel(parent)
{}

PrimeChecksModel::~PrimeChecksModel() = default;

void PrimeChecksModel::track(ExecutionTask *task, const QString &input)
{
    const int row = count();
    beginInsertRows({}, row, row);
    m_checks.append(Check{task->id(), input, 0.0, task->status(), task->isRunning(), false, {}, {}, task});
    endInsertRows();
    Q_EMIT countChanged();

    // Copy on every change: the command deletes the task of an older run once it is replaced and ended.
    const quint64 id = task->id();
    const auto update = [this, id] { refresh(id); };
    connect(task, &ExecutionTask::progressChanged, this, update);
    connect(task, &ExecutionTask::statusChanged, this, update);
    connect(task, &ExecutionTask::isRunningChanged, this, update);
    connect(task, &ExecutionTask::resultChanged, this, update);
    connect(task, &ExecutionTask::errorStringChanged, this, update);
    refresh(id);
}

int PrimeChecksModel::rowOf(quint64 id) const
{
    const auto it =
        std::find_if(m_checks.cbegin(), m_checks.cend(), [id](const Check &c) { return c.id == id; });
    return it == m_checks.cend() ? -1 : int(it - m_checks.cbegin());
}

void PrimeChecksModel::cancel(int row)
{
    if (row < 0 || row >= count())
        return;
    if (ExecutionTask *task = m_checks.at(row).task)
        task->cancel();
}

void PrimeChecksModel::removeFinished()
{
    for (int row = count() - 1; row >= 0; --row) {
        if (m_checks.at(row).isRunning)
            continue;
        beginRemoveRows({}, row, row);
        m_checks.removeAt(row);
        endRemoveRows();
    }
    Q_EMIT countChanged();
    updateFinishedCount();
}

void PrimeChecksModel::refresh(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Check &check = m_checks[row];
    const ExecutionTask *task = check.task;
    if (!task)
        return;
    check.progress = task->progress().toDouble();
    check.hasProgress = task->hasProgress();
    check.status = task->status();
    check.isRunning = task->isRunning();
    if (const QVariant result = task->result(); result.canConvert<PrimeResult>())
        check.result = result.value<PrimeResult>();
    check.errorString = task->errorString();
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
    updateFinishedCount();
}

void PrimeChecksModel::updateFinishedCount()
{
    m_finishedCount =
        int(std::count_if(m_checks.cbegin(), m_checks.cend(), [](const Check &c) { return !c.isRunning; }));
}

int PrimeChecksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant PrimeChecksModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Check &check = m_checks.at(index.row());
    switch (role) {
    case IdRole:
        return check.id;
    case InputRole:
        return check.input;
    case ProgressRole:
        return check.progress;
    case StatusRole:
        return QVariant::fromValue(check.status);
    case IsRunningRole:
        return check.isRunning;
    case StatusTextRole:
        switch (check.status) {
        case AsyncStatus::Started:
            if (check.isWaiting())
                return tr("waiting");
            return tr("checking %1%").arg(int(std::floor(check.progress * 100.0)));
        case AsyncStatus::Completed:
            return tr("done");
        case AsyncStatus::Canceled:
            return check.isRunning ? tr("canceling") : tr("canceled");
        case AsyncStatus::Error:
            return tr("error");
        }
        return {};
    case ResultTextRole:
        if (check.result)
            return check.result->verdict(); // the row shows the number above it
        if (check.status == AsyncStatus::Error)
            return check.errorString;
        if (check.status == AsyncStatus::Canceled) {
            if (!check.hasProgress)
                return tr("canceled before it started");
            return tr("canceled at %1%").arg(int(std::floor(check.progress * 100.0)));
        }
        if (check.isWaiting())
            return tr("waiting for a free thread of the pool");
        return {};
    case WaitingRole:
        return check.isWaiting();
    case Qt::DisplayRole:
        return check.input;
    }
    return {};
}

QHash<int, QByteArray> PrimeChecksModel::roleNames() const
{
    return {
        {IdRole, "id"},
        {InputRole, "input"},
        {ProgressRole, "progress"},
        {StatusRole, "status"},
        {IsRunningRole, "isRunning"},
        {StatusTextRole, "statusText"},
        {ResultTextRole, "resultText"},
        {WaitingRole, "waiting"},
    };
}
