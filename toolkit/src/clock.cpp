// SPDX-License-Identifier: MIT
#include "clock_p.h"

#include <QtCore/QHash>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace CommandKit::detail {

namespace {

class RealClock;

/*!
    One call of the real clock: a single-shot QTimer on the context's thread. Not the context's child
    (the context may live on another thread than the caller's); a call whose context is gone is dropped
    when the timer fires. Deleted by the first of its timeout and a cancel.
*/
class RealTimer final : public QTimer
{
public:
    RealTimer(RealClock &clock, Clock::CallId id, ContextRef context, std::function<void()> call)
        : m_clock(clock)
        , m_id(id)
        , m_context(std::move(context))
        , m_call(std::move(call))
    {
        setSingleShot(true);
        connect(this, &QTimer::timeout, this, &RealTimer::fire);
    }
    ~RealTimer() override;

private:
    void fire();

    RealClock &m_clock;
    Clock::CallId m_id;
    ContextRef m_context;
    std::function<void()> m_call;
};

class RealClock final : public Clock
{
public:
    void schedule(CallId id, std::chrono::milliseconds delay, const ContextRef &context,
                  std::function<void()> call) override
    {
        QThread *const thread = context.thread();
        if (!thread)
            return; // the context is gone: the call could never run
        auto timer = std::make_unique<RealTimer>(*this, id, context, std::move(call));
        timer->setInterval(delay);
        const bool here = thread == QThread::currentThread();
        if (!here)
            timer->moveToThread(thread);
        {
            std::lock_guard lock(m_mutex);
            m_timers.insert(id, {timer.get(), thread});
        }
        tsanHandOff();
        if (here)
            timer->start();
        else
            QMetaObject::invokeMethod(timer.get(), qOverload<>(&QTimer::start), Qt::QueuedConnection);
        // Owned by its thread from here on; a throw above deletes it, and its destructor forgets it.
        (void)timer.release();
    }

    bool unschedule(CallId id) noexcept override
    {
        std::unique_lock lock(m_mutex);
        const auto it = m_timers.constFind(id);
        if (it == m_timers.cend())
            return false;
        const Entry entry = it.value();
        m_timers.erase(it);
        if (entry.thread == QThread::currentThread()) {
            // Nobody else deletes a timer of this thread; its destructor takes the lock.
            lock.unlock();
            delete entry.timer;
            return true;
        }
        // Posted under the lock: the timer's destructor waits for it, so the timer is still alive here,
        // and ~QObject drops the event if it goes first.
        QMetaObject::invokeMethod(
            entry.timer, [timer = entry.timer] { delete timer; }, Qt::QueuedConnection);
        return true;
    }

    std::vector<Waiting> takeAll() override { return {}; } // the real clock is never uninstalled

    void forget(CallId id) noexcept
    {
        std::lock_guard lock(m_mutex);
        m_timers.remove(id);
    }

private:
    struct Entry
    {
        RealTimer *timer;
        QThread *thread;
    };
    // Guards m_timers: scheduled and canceled from any thread, forgotten on the timer's thread.
    std::mutex m_mutex;
    QHash<CallId, Entry> m_timers;
};

RealTimer::~RealTimer()
{
    m_clock.forget(m_id);
}

void RealTimer::fire()
{
    tsanTakeOver();
    m_clock.forget(m_id);
    std::function<void()> call = std::move(m_call);
    deleteLater();
    // Alive and on this thread; else the context is gone and the call is dropped.
    if (m_context.isCurrentThread())
        call();
}

RealClock &realClock()
{
    // Never destroyed: a timer still waiting at exit may forget itself after static destruction.
    static RealClock *const clock = new RealClock;
    return *clock;
}

// Guards the stack of installed clocks, and every schedule and cancel, so a call is never lost while
// an uninstall moves it from one clock to another. Taken before a clock's own lock, never after.
std::mutex clocksMutex;
std::vector<Clock *> installed;
// relaxed: only uniqueness matters.
std::atomic<Clock::CallId> nextCallId{1};

} // namespace

Clock::~Clock() = default;

Clock::CallId Clock::callAfter(std::chrono::milliseconds delay, const ContextRef &context,
                               std::function<void()> call)
{
    const CallId id = nextCallId.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(clocksMutex);
    Clock &clock = installed.empty() ? realClock() : *installed.back();
    clock.schedule(id, std::max(delay, std::chrono::milliseconds(0)), context, std::move(call));
    return id;
}

Clock::CallId Clock::callAfterInRealTime(std::chrono::milliseconds delay, const ContextRef &context,
                                         std::function<void()> call)
{
    const CallId id = nextCallId.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(clocksMutex);
    realClock().schedule(id, std::max(delay, std::chrono::milliseconds(0)), context, std::move(call));
    return id;
}

void Clock::cancel(CallId id) noexcept
{
    if (id == 0)
        return;
    std::lock_guard lock(clocksMutex);
    for (auto it = installed.rbegin(); it != installed.rend(); ++it) {
        if ((*it)->unschedule(id))
            return;
    }
    realClock().unschedule(id);
}

void Clock::install(Clock *clock)
{
    std::lock_guard lock(clocksMutex);
    installed.push_back(clock);
}

void Clock::uninstall(Clock *clock)
{
    std::lock_guard lock(clocksMutex);
    const auto it = std::find(installed.begin(), installed.end(), clock);
    if (it == installed.end())
        return;
    const auto position = installed.erase(it);
    // The clock below the removed one takes its calls (the real one at the bottom).
    Clock &below = position == installed.begin() ? realClock() : **std::prev(position);
    for (Waiting &waiting : clock->takeAll())
        below.schedule(waiting.id, waiting.left, waiting.context, std::move(waiting.call));
}

} // namespace CommandKit::detail
