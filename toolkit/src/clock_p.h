// SPDX-License-Identifier: MIT
// Private: not installed, not API.
#pragma once

#include <QtCore/QtGlobal>

#include <chrono>
#include <functional>
#include <vector>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/contextref.h"

namespace CommandKit::detail {

/*!
    \internal
    The one clock of CommandKit (design.md A23): every timer the toolkit owns (\c resumeAfter(), a
    command's \c timeout, \c debounce and \c throttle) is a call made through it, and nothing else in
    the toolkit makes a timer. The real clock uses a single-shot QTimer on the context's thread; a
    \c Testing::VirtualClock replaces it for the whole process while it exists.

    A call runs on the thread of its context, through that thread's event loop, and never once the
    context has been destroyed. \c cancel() from the context's thread guarantees the call does not run
    afterwards; from another thread the call may already be running (the caller settles that race, as
    \c resumeAfter() does with its \c ResumeOnce).
*/
class COMMANDKIT_EXPORT Clock
{
public:
    /*! Names one scheduled call; never 0, never reused in the process. */
    using CallId = quint64;

    virtual ~Clock();

    /*!
        Calls \a call on \a context's thread once \a delay (ms; negative counts as 0) has passed on the
        clock installed now, unless canceled first or \a context is gone. Any thread; may throw
        \c std::bad_alloc, and then nothing was scheduled.
    */
    static CallId callAfter(std::chrono::milliseconds delay, const ContextRef &context,
                            std::function<void()> call);
    /*!
        \c callAfter() on the real clock, whatever clock is installed: for the time limits of the test
        helpers (\c Testing::wait() and its kin), which guard a test against hanging in real time and
        must not fire when a \c VirtualClock is advanced.
    */
    static CallId callAfterInRealTime(std::chrono::milliseconds delay, const ContextRef &context,
                                      std::function<void()> call);
    /*!
        Cancels the call \a id wherever it waits (the clock it was scheduled on may have been replaced
        since); 0 or a call that ran already does nothing. Any thread. Never throws.
    */
    static void cancel(CallId id) noexcept;

    /*! Makes \a clock the one \c callAfter() uses, until \c uninstall(). */
    static void install(Clock *clock);
    /*!
        Removes \a clock; its calls still waiting move to the clock below it (the real one at the
        bottom), each with the time it had left, under the same id.
    */
    static void uninstall(Clock *clock);

protected:
    /*! Schedules \a call under \a id; \a delay is 0 or more. Called under the clocks' lock. */
    virtual void schedule(CallId id, std::chrono::milliseconds delay, const ContextRef &context,
                          std::function<void()> call) = 0;
    /*! Forgets the call \a id if it waits here; returns whether it did. Called under the clocks' lock. */
    virtual bool unschedule(CallId id) noexcept = 0;
    /*! A call still waiting, as \c takeAll() hands it over. */
    struct Waiting
    {
        CallId id;
        std::chrono::milliseconds left;
        ContextRef context;
        std::function<void()> call;
    };
    /*! Removes and returns every call still waiting, in due order (for \c uninstall()). */
    virtual std::vector<Waiting> takeAll() = 0;
};

} // namespace CommandKit::detail
