// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "commandkit/detail/asyncstatebase.h"
#include "commandkit/detail/progressprobe.h"
#include "commandkit/detail/spinlock.h"
#include "commandkit/detail/stateref.h"

namespace CommandKit::detail {

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
    void setTap(std::function<void(const P &)> tap, const void *owner = nullptr)
    {
        auto shared = tap ? std::make_shared<const std::function<void(const P &)>>(std::move(tap)) : nullptr;
        std::lock_guard lock(m_progressMutex);
        m_tap = std::move(shared);
        m_tapOwner = m_tap ? owner : nullptr;
    }
    /*! Removes the tap only if \a owner set it (a probe never removes another recorder's tap). */
    void clearTap(const void *owner) noexcept
    {
        std::lock_guard lock(m_progressMutex);
        if (m_tapOwner != owner)
            return;
        m_tap.reset();
        m_tapOwner = nullptr;
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
    const void *m_tapOwner = nullptr; // who set the tap, for clearTap()
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

} // namespace CommandKit::detail
