// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "commandkit/detail/progressprobe.h"
#include "commandkit/detail/stateref.h"

#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86) || defined(_M_ARM64))
#include <intrin.h>
#endif

namespace CommandKit::detail {

/*!
    \internal
    A lock for critical sections of a few instructions: a progress report stores one value. A futex
    mutex made every contended report (worker reporting, GUI thread delivering) a system call; measured
    by bench_p5_progress, the spin lock halves the cost of a report (P5). It spins briefly, then yields.
*/
class SpinLock
{
public:
    void lock() noexcept
    {
        // acquire: pairs with unlock()'s release, so the section sees the previous holder's writes.
        for (int spins = 0; m_locked.exchange(true, std::memory_order_acquire); ++spins) {
            while (m_locked.load(std::memory_order_relaxed)) {
                if (++spins > 64)
                    std::this_thread::yield();
                else
                    pause();
            }
        }
    }
    void unlock() noexcept { m_locked.store(false, std::memory_order_release); }

private:
    static void pause() noexcept
    {
        // The CPU's spin-wait hint; without one the loop only spins.
#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
        _mm_pause();
#elif defined(_MSC_VER) && defined(_M_ARM64)
        __yield();
#elif defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    std::atomic<bool> m_locked{false};
};

/*!
    \internal
    Progress of one operation (A7): a user handler and a command's observer, each either called
    synchronously on the reporting thread or, with a context, posted there with "latest value wins":
    at most one delivery is pending per slot however fast the body reports.
*/
template <typename P>
class ProgressState : public AsyncStateBase
{
public:
    using Handler = std::function<void(ProgressState &, const P &)>;

    /*! See AsyncStateBase; a test's ProgressProbe on this thread is offered the new state (C20). */
    explicit ProgressState(quint64 references = 1, void *block = nullptr) noexcept
        : AsyncStateBase(references, block)
    {
        ProgressProbe::offerNew(*this, ProgressProbe::tagOf<P>());
    }

    void setHandler(ContextRef context, Handler handler)
    {
        setSlot(m_user, std::move(context), std::move(handler));
    }

    /*!
        The observer's slot, for whoever watches the operation from outside (a command, C6): like the
        user's handler (A7), but its own, so a handle's setProgress() never replaces it. Returns the
        latest report made before it was installed, read under the same lock, so the observer misses
        nothing: every later report reaches \a handler.
    */
    std::optional<P> setObserver(ContextRef context, Handler handler)
    {
        return setSlot(m_observer, std::move(context), std::move(handler));
    }

    /*!
        A test's tap on every progress report (C20): called synchronously on the reporting thread, for
        each report, in order, never coalesced; empty removes it.
    */
    void setTap(std::function<void(const P &)> tap)
    {
        auto shared = tap ? std::make_shared<const std::function<void(const P &)>>(std::move(tap)) : nullptr;
        std::lock_guard lock(m_progressMutex);
        m_tap = std::move(shared);
    }

    /*! Reports \a value; dropped after the end. Called from the body's thread. */
    void report(const P &value)
    {
        Handler direct[2];
        bool post[2] = {false, false};
        std::shared_ptr<const std::function<void(const P &)>> tap;
        {
            std::lock_guard lock(m_progressMutex);
            // Checked under the lock that onEnded() takes: a report either precedes the flush or is dropped.
            if (!isRunning())
                return;
            // Only tests tap (C20); a shared_ptr copy, so the hot path copies no std::function (P5).
            if (m_tap)
                tap = m_tap;
            m_latest = value;
            Slot *targets[2] = {&m_user, &m_observer};
            for (int i = 0; i < 2; ++i) {
                Slot &s = *targets[i];
                if (!s.handler)
                    continue;
                if (!s.context.isSet()) {
                    direct[i] = s.handler;
                    continue;
                }
                s.pending = value;
                if (!s.posted)
                    post[i] = s.posted = true;
            }
        }
        // The tap first: a test that holds the body inside it has seen the report (C20).
        if (tap)
            invokeGuarded([&] { (*tap)(value); }, "progress recorder");
        for (int i = 0; i < 2; ++i) {
            if (direct[i])
                invokeGuarded([&] { direct[i](*this, value); }, "progress handler");
            if (post[i])
                postDelivery(i == 0 ? &ProgressState::m_user : &ProgressState::m_observer);
        }
    }

protected:
    void onEnded() noexcept override
    {
        // The last report before the end reaches a context on this thread before the completed handler (A7).
        deliverIfCurrent(m_user);
        deliverIfCurrent(m_observer);
    }
    void onClosed() noexcept override
    {
        std::lock_guard lock(m_progressMutex);
        m_user = Slot{};
        m_observer = Slot{};
        m_tap.reset();
        m_latest.reset();
    }

private:
    struct Slot
    {
        Handler handler;
        ContextRef context;
        std::optional<P> pending;
        bool posted = false;
    };

    std::optional<P> setSlot(Slot &slot, ContextRef context, Handler handler)
    {
        // A flush of pending progress is due at the end (onEnded()): the end takes the locked path.
        if (handler)
            this->watch();
        std::lock_guard lock(m_progressMutex);
        const bool keepPending = slot.context == context;
        slot.handler = std::move(handler);
        slot.context = std::move(context);
        if (!keepPending) {
            // A delivery posted to the old context will find nothing pending.
            slot.pending.reset();
            slot.posted = false;
        }
        return m_latest;
    }

    void postDelivery(Slot ProgressState::*member)
    {
        ContextRef context;
        {
            std::lock_guard lock(m_progressMutex);
            context = (this->*member).context;
        }
        auto self = StateRef<ProgressState>::retain(this);
        if (!context.post([self, member] { self->deliver(self.get()->*member); })) {
            std::lock_guard lock(m_progressMutex);
            (this->*member).posted = false;
        }
    }

    void deliver(Slot &slot) noexcept
    {
        Handler handler;
        std::optional<P> value;
        {
            std::lock_guard lock(m_progressMutex);
            slot.posted = false;
            if (!slot.pending)
                return;
            value = std::move(slot.pending);
            slot.pending.reset();
            handler = slot.handler;
        }
        if (handler)
            invokeGuarded([&] { handler(*this, *value); }, "progress handler");
    }

    void deliverIfCurrent(Slot &slot) noexcept
    {
        ContextRef context;
        {
            std::lock_guard lock(m_progressMutex);
            if (!slot.pending)
                return;
            context = slot.context;
        }
        if (context.isCurrentThread())
            deliver(slot);
    }

    // Separate from the base's mutex: reports are the hot path and never touch status or handlers.
    SpinLock m_progressMutex;
    Slot m_user;
    Slot m_observer;
    std::shared_ptr<const std::function<void(const P &)>> m_tap;
    // The latest report, for an observer set later (setObserver()).
    std::optional<P> m_latest;
};

/*! \internal "No progress": nothing to report or observe. */
template <>
class ProgressState<void> : public AsyncStateBase
{
public:
    using AsyncStateBase::AsyncStateBase;
};

/*! \internal The full state of an \c AsyncOperation<R, P>: progress plus the result. */
template <typename R, typename P>
class AsyncState final : public ProgressState<P>
{
public:
    using ProgressState<P>::ProgressState;

    /*! Stores the result; called by the body before finish(). */
    template <typename U>
    void setResult(U &&value)
    {
        m_result.emplace(std::forward<U>(value));
    }
    /*! The result; the caller has checked requireResults(). */
    [[nodiscard]] const R &result() const { return *m_result; }
    /*! Whether a result is stored (false before the end, after close(), and for a failed body). */
    [[nodiscard]] bool hasResult() const noexcept { return m_result.has_value(); }

protected:
    void onClosed() noexcept override
    {
        ProgressState<P>::onClosed();
        m_result.reset();
    }

private:
    std::optional<R> m_result;
};

/*! \internal No result: a state whose end is all there is to know. */
template <typename P>
class AsyncState<void, P> final : public ProgressState<P>
{
public:
    using ProgressState<P>::ProgressState;
};

} // namespace CommandKit::detail
