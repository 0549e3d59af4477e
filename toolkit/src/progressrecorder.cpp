// SPDX-License-Identifier: MIT
#include "commandkit/progressrecorder.h"

#include <QtCore/QThread>

#include <mutex>

#include "commandkit/asyncrelaycommand.h"
#include "commandkit/executiontask.h"
#include "testing_p.h"

namespace CommandKit::Testing {

// Shared with the taps of the runs, which may outlive the recorder (a state lives as long as its handles).
struct ProgressRecorder::Shared
{
    mutable std::mutex mutex;
    QVariantList reports;
    int numbered = 0; // reports seen since the recorder was made, for holdAt()
    int holdAt = 0;
    std::shared_ptr<detail::GateState> gate;
    QThread *ownThread = nullptr;

    void record(const QVariant &value)
    {
        std::shared_ptr<detail::GateState> hold;
        {
            std::lock_guard lock(mutex);
            reports << value;
            if (++numbered == holdAt && gate)
                hold = gate;
        }
        if (!hold)
            return;
        if (QThread::currentThread() == ownThread) {
            qWarning("ProgressRecorder::holdAt(): report %d came on the test's own thread and cannot be "
                     "held there; report from a worker thread (after resumeBackground()) to hold it",
                     numbered);
            return;
        }
        // The reporting thread waits here, outside every lock of CommandKit (A18).
        detail::passGate(hold);
    }
};

ProgressRecorder::ProgressRecorder(AsyncRelayCommand *command)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->ownThread = QThread::currentThread();
    if (!command) {
        qWarning("ProgressRecorder: the command is null; nothing is recorded");
        return;
    }
    watch(command);
}

ProgressRecorder::~ProgressRecorder()
{
    if (m_command)
        m_command->setProgressTap(nullptr);
}

void ProgressRecorder::watch(AsyncRelayCommand *command)
{
    m_command = command;
    // Set on the running runs' operations and on every later one as its delegate returns it (C5, C20).
    command->setProgressTap([shared = m_shared](const QVariant &value) { shared->record(value); });
}

QVariantList ProgressRecorder::reports() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->reports;
}

QStringList ProgressRecorder::texts() const
{
    QStringList texts;
    for (const QVariant &report : reports())
        texts << detail::testingText(report);
    return texts;
}

int ProgressRecorder::count() const
{
    std::lock_guard lock(m_shared->mutex);
    return int(m_shared->reports.size());
}

void ProgressRecorder::clear()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->reports.clear();
}

void ProgressRecorder::holdAt(int report, const Gate &gate)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->holdAt = report;
    m_shared->gate = gate.m_state;
}

} // namespace CommandKit::Testing
