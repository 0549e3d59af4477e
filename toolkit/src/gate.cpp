// SPDX-License-Identifier: MIT
#include "commandkit/gate.h"

#include <QtCore/QEventLoop>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "clock_p.h"
#include "commandkit/detail/backgroundawaiter.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/detail/resumeonce.h"
#include "commandkit/errors.h"
#include "testing_p.h"

namespace CommandKit::detail {

struct GateState
{
    struct Waiter
    {
        std::shared_ptr<detail::ResumeOnce> once;
        // The awaiting thread's context; unset for a thread without an event loop (resumes on the pool).
        detail::ContextRef context;
    };

    // One lock for everything: a gate is a test's tool, never on a hot path.
    mutable std::mutex mutex;
    std::condition_variable opened;
    bool open = false;
    int arrivals = 0;
    int blocked = 0;
    std::vector<Waiter> waiters;
    // Local loops in waitForArrivals(): each arrival posts them a check.
    std::vector<std::pair<detail::ContextRef, std::function<void()>>> watchers;

    /*! Counts an arrival and wakes the watchers; call without the lock held. */
    void arrive()
    {
        decltype(watchers) toWake;
        {
            std::lock_guard lock(mutex);
            ++arrivals;
            toWake = watchers;
        }
        for (const auto &[context, check] : toWake)
            context.post(check);
    }

    void openNow()
    {
        std::vector<Waiter> released;
        {
            std::lock_guard lock(mutex);
            if (open)
                return;
            open = true;
            released = std::exchange(waiters, {});
        }
        opened.notify_all();
        for (Waiter &waiter : released) {
            // A cancel() that won has resumed the body already (A15).
            if (!waiter.once->claim(false))
                continue;
            const std::coroutine_handle<> handle = waiter.once->handle;
            detail::tsanHandOff();
            if (!waiter.context.isSet() || !waiter.context.post([handle] {
                    detail::tsanTakeOver();
                    handle.resume();
                }))
                detail::resumeOnPool(detail::backgroundPool(), handle);
        }
    }
};

void passGate(const std::shared_ptr<GateState> &state)
{
    {
        std::lock_guard lock(state->mutex);
        if (!state->open && isMainThread()) {
            throw AsyncError(AsyncError::WrongThread,
                             "Gate::pass() on the main thread while the gate is closed: the test that would "
                             "open it runs there; pass it on a worker thread, or co_await it");
        }
    }
    {
        // Counted as waiting before the arrival is announced: a test woken by it sees both.
        std::lock_guard lock(state->mutex);
        ++state->blocked;
    }
    state->arrive();
    std::unique_lock lock(state->mutex);
    state->opened.wait(lock, [&state] { return state->open; });
    --state->blocked;
}

} // namespace CommandKit::detail

namespace CommandKit::Testing {

struct Gate::Opener
{
    explicit Opener(std::shared_ptr<detail::GateState> gate)
        : state(std::move(gate))
    {}
    ~Opener() { state->openNow(); }
    Opener(const Opener &) = delete;
    Opener &operator=(const Opener &) = delete;
    std::shared_ptr<detail::GateState> state;
};

Gate::Gate()
    : m_state(std::make_shared<detail::GateState>())
    , m_opener(std::make_shared<Opener>(m_state))
{}

Gate::~Gate() = default;
Gate::Gate(const Gate &other) = default;
Gate &Gate::operator=(const Gate &other) = default;

void Gate::open() const
{
    m_state->openNow();
}

bool Gate::isOpen() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->open;
}

int Gate::arrivals() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->arrivals;
}

int Gate::waiting() const
{
    std::lock_guard lock(m_state->mutex);
    return int(m_state->waiters.size()) + m_state->blocked;
}

bool Gate::waitForArrivals(int count, std::chrono::milliseconds timeout) const
{
    if (arrivals() >= count)
        return true;
    QEventLoop loop;
    const detail::ContextRef context(&loop);
    const std::shared_ptr<detail::GateState> state = m_state;
    // Posted through the loop's ContextRef: dropped once this wait has returned.
    std::function<void()> check = [state, count, &loop] {
        std::lock_guard lock(state->mutex);
        if (state->arrivals >= count)
            loop.quit();
    };
    {
        std::lock_guard lock(state->mutex);
        if (state->arrivals >= count)
            return true;
        state->watchers.emplace_back(context, check);
    }
    // Real time, also under a VirtualClock: the limit guards the test against hanging (A23).
    const auto limit = detail::Clock::callAfterInRealTime(timeout, context, [&loop] { loop.quit(); });
    loop.exec();
    detail::Clock::cancel(limit);
    std::lock_guard lock(state->mutex);
    state->watchers.erase(
        std::remove_if(state->watchers.begin(), state->watchers.end(),
                       [&context](const auto &watcher) { return watcher.first == context; }),
        state->watchers.end());
    return state->arrivals >= count;
}

void Gate::pass() const
{
    detail::passGate(m_state);
}

bool Gate::Awaiter::await_ready()
{
    {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->open)
            return false; // the arrival is announced in await_suspend(), once the body is on the gate
    }
    m_state->arrive();
    return true;
}

bool Gate::Awaiter::await_suspend(std::coroutine_handle<> handle)
{
    // Locals only from here: once the waiter is on the gate, another thread may resume the body and
    // destroy this awaiter with its frame.
    const std::shared_ptr<detail::GateState> state = m_state;
    const std::shared_ptr<detail::ResumeOnce> once = m_once;
    // A cancel that wins takes the waiter off the gate before the body resumes (A15).
    // The hook holds the ResumeOnce it is stored in by a raw pointer, or the two would keep each other.
    if (!prepare(handle, [state, self = once.get()] {
            std::lock_guard lock(state->mutex);
            auto &waiters = state->waiters;
            waiters.erase(std::remove_if(waiters.begin(), waiters.end(),
                                         [self](const auto &waiter) { return waiter.once.get() == self; }),
                          waiters.end());
        })) {
        state->arrive();
        return false; // canceled already: the body throws at once
    }
    bool suspend = true;
    {
        std::lock_guard lock(state->mutex);
        if (state->open) {
            // Opened since await_ready(): go on, unless a cancel claimed the resumption first.
            suspend = !once->claim(false);
        } else {
            state->waiters.push_back({once, detail::currentThreadContext()});
        }
    }
    state->arrive();
    return suspend;
}

void Gate::Awaiter::await_resume() const
{
    if (wasCanceled())
        throw OperationCanceled("canceled while held at a Testing::Gate");
}

} // namespace CommandKit::Testing
