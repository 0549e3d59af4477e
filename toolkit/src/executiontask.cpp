// SPDX-License-Identifier: MIT
#include "commandkit/executiontask.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QThread>

#include <utility>
#include <vector>

namespace CommandKit {

namespace {

/*
    deleteLater() without an allocation (P2): Qt deletes a posted event once it has delivered it (or
    dropped it with its receiver), and this event's operator delete keeps the memory in a per-thread
    pool for the next retired task. Delivery is Qt's own DeferredDelete, exactly as deleteLater() posts it.
*/
class RetireEvent final : public QDeferredDeleteEvent
{
public:
    RetireEvent() = default;

    static void *operator new(std::size_t size)
    {
        std::vector<void *> *pool = RetireEvent::pool();
        if (size != sizeof(RetireEvent) || !pool || pool->empty())
            return ::operator new(size);
        void *memory = pool->back();
        pool->pop_back();
        return memory;
    }
    static void operator delete(void *memory, std::size_t size) noexcept
    {
        std::vector<void *> *pool = RetireEvent::pool();
        // A thread that retires many tasks between two turns of its event loop keeps a few for later.
        if (size != sizeof(RetireEvent) || !pool || pool->size() >= MaxPooled) {
            ::operator delete(memory);
            return;
        }
        try {
            pool->push_back(memory);
        } catch (...) {
            ::operator delete(memory);
        }
    }

private:
    static constexpr std::size_t MaxPooled = 16;
    // Trivially destructible, so still readable while the thread's other thread-locals are destroyed.
    static inline thread_local bool poolGone = false;
    struct Pool
    {
        std::vector<void *> memory;
        ~Pool()
        {
            poolGone = true;
            for (void *m : memory)
                ::operator delete(m);
        }
    };
    // Per thread: an event may be deleted on another thread than the one that made it; each pool is
    // only ever touched by its own thread. Null once the thread's pool is gone (events Qt deletes late).
    static std::vector<void *> *pool()
    {
        if (poolGone)
            return nullptr;
        thread_local Pool pool;
        return &pool.memory;
    }
};

} // namespace

ExecutionTask::ExecutionTask(quint64 id, detail::TaskValues values, detail::StatePtr operation,
                             std::function<void()> cancel, QObject *command)
    : QObject(command)
    , m_id(id)
    , m_operation(std::move(operation))
    , m_cancel(std::move(cancel))
    , m_values(std::move(values))
{}

ExecutionTask::~ExecutionTask() = default;

quint64 ExecutionTask::id() const
{
    return m_id;
}

AsyncAction ExecutionTask::operation() const
{
    return detail::StateAccess::make<void, void>(m_operation ? m_operation : m_state);
}

void ExecutionTask::cancel()
{
    if (thread() != QThread::currentThread()) {
        QMetaObject::invokeMethod(this, &ExecutionTask::cancel, Qt::QueuedConnection);
        return;
    }
    // A copy: a slot on the signals of this cancel may delete the command, and this task with it (C13).
    if (const std::function<void()> cancel = m_cancel)
        cancel();
}

void ExecutionTask::retire()
{
    QCoreApplication::postEvent(this, new RetireEvent());
}

void ExecutionTask::update(AsyncStatus status, bool running, QVariant result, QString errorString)
{
    // C14: every value first; the command emits the signals (emitPending()) once its own state is final.
    m_pending |= m_values.update(status, running, std::move(result), std::move(errorString));
}

void ExecutionTask::emitPending(const QPointer<QObject> &command)
{
    const quint8 pending = std::exchange(m_pending, 0);
    // A slot may delete the command and with it this task (C13): not one signal after that.
    const auto emitIf = [this, &command, pending](quint8 flag, void (ExecutionTask::*signal)()) {
        if (command && (pending & flag))
            Q_EMIT(this->*signal)();
    };
    emitIf(detail::TaskValues::ResultChanged, &ExecutionTask::resultChanged);
    emitIf(detail::TaskValues::ErrorStringChanged, &ExecutionTask::errorStringChanged);
    emitIf(detail::TaskValues::StatusChanged, &ExecutionTask::statusChanged);
    emitIf(detail::TaskValues::RunningChanged, &ExecutionTask::isRunningChanged);
}

void ExecutionTask::setProgress(const QVariant &progress)
{
    // C14: a body may report the same value again; only a real change notifies, and the first report,
    // which changes hasProgress even when its value is the default one.
    if (m_values.setProgress(progress))
        Q_EMIT progressChanged();
}

} // namespace CommandKit
