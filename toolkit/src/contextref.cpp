// SPDX-License-Identifier: MIT
#include "commandkit/detail/contextref.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <mutex>

namespace CommandKit::detail {

struct ContextRef::Anchor
{
    // Guards object: cleared by the destroyed() connection, read while posting.
    std::mutex mutex;
    QObject *object = nullptr;
    QMetaObject::Connection connection;

    ~Anchor() { QObject::disconnect(connection); }
};

ContextRef::ContextRef(QObject *context)
    : m_anchor(std::make_shared<Anchor>())
{
    m_anchor->object = context;
    if (!context)
        return;
    // A direct connection: it runs inside ~QObject, before the object's posted events are removed.
    std::weak_ptr<Anchor> weak = m_anchor;
    m_anchor->connection = QObject::connect(context, &QObject::destroyed, [weak] {
        if (auto anchor = weak.lock()) {
            std::lock_guard lock(anchor->mutex);
            anchor->object = nullptr;
        }
    });
}

bool ContextRef::isCurrentThread() const
{
    if (!m_anchor)
        return false;
    std::lock_guard lock(m_anchor->mutex);
    return m_anchor->object && m_anchor->object->thread() == QThread::currentThread();
}

QThread *ContextRef::thread() const
{
    if (!m_anchor)
        return nullptr;
    std::lock_guard lock(m_anchor->mutex);
    return m_anchor->object ? m_anchor->object->thread() : nullptr;
}

bool ContextRef::post(std::function<void()> work) const
{
    if (!m_anchor)
        return false;
    std::lock_guard lock(m_anchor->mutex);
    if (!m_anchor->object)
        return false;
#if defined(__SANITIZE_THREAD__)
    auto box = std::make_shared<std::function<void()>>(std::move(work));
    work = [box] {
        tsanTakeOver();
        (*box)();
    };
    tsanHandOff();
#endif
    QMetaObject::invokeMethod(m_anchor->object, std::move(work), Qt::QueuedConnection);
    return true;
}

namespace {

// One per thread with an event loop; coroutines awaiting on that thread resume through it.
class ThreadContext final : public QObject
{};

} // namespace

ContextRef currentThreadContext()
{
    QThread *thread = QThread::currentThread();
    if (!isMainThread() && thread->loopLevel() == 0)
        return {};
    thread_local std::unique_ptr<ThreadContext> object;
    thread_local ContextRef ref;
    if (!object) {
        object = std::make_unique<ThreadContext>();
        ref = ContextRef(object.get());
    }
    return ref;
}

bool isMainThread() noexcept
{
    const QCoreApplication *app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread();
}

} // namespace CommandKit::detail
