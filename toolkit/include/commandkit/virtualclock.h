// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <memory>

#include "commandkit/commandkit_export.h"

namespace CommandKit::Testing {

/*!
    \brief Virtual time for tests (design.md A23): while it exists, every timer of CommandKit —
    \c resumeAfter(), a command's \c timeout, \c debounce and \c throttle — waits on it instead of the
    real clock, and only \c advance() moves it. A test of a 30-second timeout takes milliseconds, and
    no test sleeps.

    \code
    CommandKit::Testing::VirtualClock clock;          // installed for the whole process
    command->setTimeout(30000);                       // the body awaits resumeAfter(60s)
    const CommandKit::AsyncAction run = command->executeAsync();
    clock.advance(std::chrono::seconds(30));          // the timeout fires, the body unwinds
    QCOMPARE(run.status(), CommandKit::AsyncStatus::Canceled);
    \endcode

    Constructing it installs it for the whole process; destroying it restores the clock that was in
    use before (the real one, unless clocks are nested). Timers started before it was made keep their
    real time; timers started while it exists wait on it, and those still waiting when it is destroyed
    move to the restored clock with the time they had left, so no body is left suspended for ever.
    Create it before the objects under test and destroy it after them (a local at the top of the test
    function does both).

    Its time starts at 0 ms and moves only through \c advance(): neither real time nor the event
    loop moves it. A timer of 0 ms (or less) is due at once, but still waits for the next \c advance(),
    which may be \c advance(0ms).
    \note Create, advance and destroy it on one thread, the test's main thread as a rule; timers may be
    started and canceled from any thread. Not copyable or movable.
*/
class COMMANDKIT_EXPORT VirtualClock
{
public:
    /*! \brief Installs a virtual clock at time 0 ms, for the whole process, until it is destroyed. */
    VirtualClock();
    /*!
        \brief Restores the previous clock; timers still waiting here move to it with the time they had
        left (A23). Call it on the thread that created the clock.
    */
    ~VirtualClock();
    VirtualClock(const VirtualClock &) = delete;
    VirtualClock &operator=(const VirtualClock &) = delete;

    /*!
        \brief Moves the time forward by \a duration (ms; a negative value counts as 0) and runs, at
        once, every timer that is due up to the new time, in due order (timers due at the same time in
        the order they were started), setting \c now() to each one's due time while it runs (A23).

        A timer whose context lives on the calling thread (a command of the test, a body that awaits
        \c resumeAfter() on it) runs synchronously inside \c advance(); right after each one,
        \c advance() processes the calling thread's posted events
        (\c QCoreApplication::processEvents()), so what it set off — a canceled body unwinding, a run's
        end reaching its command, a debounced run starting — has happened before the next timer runs
        and before \c advance() returns. A timer whose context lives on another thread is posted to
        that thread, as the real clock would deliver it, and \c advance() does not wait for it. Timers
        that these runs start and that fall due within \a duration run in the same call. A timer whose
        context was destroyed is dropped. Afterwards \c now() is the old time plus \a duration.

        Call it on the thread that created the clock. Never throws; an exception from what a timer
        runs goes to the process-wide handler of \c setUnhandledErrorHandler() (C9).
    */
    void advance(std::chrono::milliseconds duration);

    /*! \brief The virtual time (ms) since the clock was created: the sum of the \c advance() calls. */
    [[nodiscard]] std::chrono::milliseconds now() const;

    /*!
        \brief How many timers wait on this clock: started, and not yet run, canceled or dropped. Any
        thread.
    */
    [[nodiscard]] int pendingCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace CommandKit::Testing
