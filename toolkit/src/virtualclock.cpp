// SPDX-License-Identifier: MIT
#include "commandkit/virtualclock.h"

#include <QtCore/QCoreApplication>

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "clock_p.h"
#include "commandkit/errors.h"

namespace CommandKit::Testing {

using std::chrono::milliseconds;

/*! The clock itself: calls wait in a list until advance() reaches their due time. */
struct VirtualClock::Impl final : detail::Clock
{
    struct Call
    {
        CallId id;
        milliseconds due;
        detail::ContextRef context;
        std::function<void()> call;
    };

    void schedule(CallId id, milliseconds delay, const detail::ContextRef &context,
                  std::function<void()> call) override
    {
        std::lock_guard lock(mutex);
        // Appended: among calls due at the same time, the list keeps the order they were started in.
        calls.push_back({id, now + delay, context, std::move(call)});
    }

    bool unschedule(CallId id) noexcept override
    {
        std::function<void()> dropped;
        {
            std::lock_guard lock(mutex);
            const auto it =
                std::find_if(calls.begin(), calls.end(), [id](const Call &c) { return c.id == id; });
            if (it == calls.end())
                return false;
            dropped = std::move(it->call);
            calls.erase(it);
        }
        // What the call captured is released outside the lock.
        return true;
    }

    std::vector<Waiting> takeAll() override
    {
        std::lock_guard lock(mutex);
        std::stable_sort(calls.begin(), calls.end(),
                         [](const Call &a, const Call &b) { return a.due < b.due; });
        std::vector<Waiting> waiting;
        waiting.reserve(calls.size());
        for (Call &c : calls)
            waiting.push_back({c.id, c.due - now, std::move(c.context), std::move(c.call)});
        calls.clear();
        return waiting;
    }

    /*! The first call due by \a until (earliest, then first started), taken out; the time moves to it. */
    std::optional<Call> takeDue(milliseconds until)
    {
        std::lock_guard lock(mutex);
        // The first of the smallest due time: min_element returns the first of equal elements.
        const auto it = std::min_element(calls.begin(), calls.end(),
                                         [](const Call &a, const Call &b) { return a.due < b.due; });
        if (it == calls.end() || it->due > until)
            return std::nullopt;
        Call due = std::move(*it);
        calls.erase(it);
        now = std::max(now, due.due);
        return due;
    }

    // Guards calls and now: timers are started and canceled from any thread.
    mutable std::mutex mutex;
    std::vector<Call> calls;
    milliseconds now{0};
};

VirtualClock::VirtualClock()
    : m_impl(std::make_unique<Impl>())
{
    detail::Clock::install(m_impl.get());
}

VirtualClock::~VirtualClock()
{
    detail::Clock::uninstall(m_impl.get());
}

void VirtualClock::advance(milliseconds duration)
{
    milliseconds until;
    {
        std::lock_guard lock(m_impl->mutex);
        until = m_impl->now + std::max(duration, milliseconds(0));
    }
    while (std::optional<Impl::Call> due = m_impl->takeDue(until)) {
        if (!due->context.isCurrentThread()) {
            // Another thread's context: delivered there, as the real clock would; dropped if it is gone.
            due->context.post(std::move(due->call));
            continue;
        }
        try {
            due->call();
        } catch (...) {
            // C9: never into the test's event loop.
            reportUnhandledError(std::current_exception(),
                                 QStringLiteral("a timer run by VirtualClock::advance()"));
        }
        // What the call set off on this thread (a body's end reaching its command, a run starting).
        QCoreApplication::processEvents();
    }
    std::lock_guard lock(m_impl->mutex);
    m_impl->now = until;
}

milliseconds VirtualClock::now() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->now;
}

int VirtualClock::pendingCount() const
{
    std::lock_guard lock(m_impl->mutex);
    return int(m_impl->calls.size());
}

} // namespace CommandKit::Testing
