// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QVariant>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace CommandKit::detail {

/*!
    \internal
    A test's tap on one operation a delegate made before the command knows whether it is the run
    (C20): reports wait here until the delegate has returned. Then attach() (it is the run) passes them
    on in order and every later one goes straight through; discard() (it is not) drops them. A report
    from the command's own thread is kept; one from another thread blocks its thread until the
    decision, which comes as soon as the delegate returns, so nothing is coalesced or reordered (after
    2 s, as when the delegate waits for that thread, it is kept instead, which cannot hold it).
*/
template <typename P>
class TapBuffer
{
public:
    using Sink = std::function<void(const QVariant &)>;

    explicit TapBuffer(Sink sink)
        : m_sink(std::move(sink))
        , m_commandThread(std::this_thread::get_id())
    {}

    /*! The state's tap: on the reporting thread, for every report. */
    void report(const P &value)
    {
        {
            std::unique_lock lock(m_mutex);
            if (m_phase == Pending) {
                if (std::this_thread::get_id() == m_commandThread) {
                    m_early.push_back(value);
                    return;
                }
                // Bounded: a delegate that waits for this very thread before returning must not hang
                // the test; the report is then kept, in order, for attach().
                if (!m_decided.wait_for(lock, std::chrono::seconds(2),
                                        [this] { return m_phase != Pending; })) {
                    m_early.push_back(value);
                    return;
                }
            }
            if (m_phase == Discarded)
                return;
        }
        m_sink(QVariant::fromValue(value));
    }

    /*! On the command's thread: the operation is the run. */
    void attach()
    {
        std::vector<P> early;
        {
            std::lock_guard lock(m_mutex);
            early.swap(m_early);
        }
        // Other threads' reports still wait: they come after these.
        for (const P &value : early)
            m_sink(QVariant::fromValue(value));
        decide(Attached);
    }

    /*! The operation is not the run. */
    void discard() noexcept { decide(Discarded); }

private:
    enum Phase { Pending, Attached, Discarded };
    void decide(Phase phase) noexcept
    {
        {
            std::lock_guard lock(m_mutex);
            m_phase = phase;
            if (phase == Discarded)
                m_early.clear();
        }
        m_decided.notify_all();
    }

    const Sink m_sink;
    const std::thread::id m_commandThread;
    std::mutex m_mutex;
    std::condition_variable m_decided;
    Phase m_phase = Pending;
    std::vector<P> m_early;
};

} // namespace CommandKit::detail
