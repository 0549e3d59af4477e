// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <coroutine>
#include <memory>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/cancelablewait.h"

namespace CommandKit::detail {
struct GateState;
}

namespace CommandKit::Testing {

class ProgressRecorder;

/*!
    \brief A point where a test holds a run and releases it when it chooses (design.md C19): no sleeps,
    no timing.

    A delegate awaits it (<tt>co_await gate</tt>), or code on a worker thread passes it (\c pass()),
    or a \c ProgressRecorder holds a chosen progress report on it; the test waits until the run has
    arrived (\c waitForArrivals()), looks at the viewmodel mid-run, cancels or not, and calls \c open().

    \code
    CommandKit::Testing::Gate gate;
    auto *command = new CommandKit::AsyncRelayCommand([gate]() -> CommandKit::AsyncOperation<int> {
        co_await gate;          // held here until the test opens the gate
        co_return 42;
    }, &vm);
    const CommandKit::AsyncAction run = command->executeAsync();
    QVERIFY(command->isRunning());
    gate.open();
    QVERIFY(CommandKit::Testing::wait(run));
    \endcode

    A \c Gate is a handle: copies share one gate, so a lambda can capture it by value. Once open it
    stays open, and everything that arrives later passes at once. When the last handle is destroyed
    the gate opens by itself, so a test that fails early never leaves a body suspended or a thread
    blocked. A copy held by a delegate, a coroutine's parameter or a blocked thread counts as a handle:
    capture the gate by reference where the test may end before the run does.

    <tt>co_await gate</tt> inside an \c AsyncOperation body follows A14 and A15 like the core's own
    awaitables: \c cancel() ends the wait at once, on the canceling thread, and the body throws
    \c OperationCanceled; with propagation turned off (A13) the wait lasts until \c open() and only the
    body's next \c co_await throws. After \c open() the body resumes on the thread it awaited from,
    through that thread's event loop (A12), or on a thread of \c threadPool() when that thread has
    none (a pool thread).
    \note Thread-safe: arrive, open and ask from any thread.
*/
class COMMANDKIT_EXPORT Gate
{
public:
    /*! \brief A closed gate. */
    Gate();
    /*! \brief Releases this handle; the last one opens the gate. */
    ~Gate();
    /*! \brief Another handle to the same gate as \a other. */
    Gate(const Gate &other);
    /*! \brief Makes this a handle to the gate of \a other (releasing its own, see \c ~Gate()). */
    Gate &operator=(const Gate &other);

    /*!
        \brief Opens the gate for good: suspended bodies resume (on their own threads, see the class),
        blocked threads continue, later arrivals pass at once. Opening it again does nothing.
    */
    void open() const;
    /*! \brief Whether \c open() was called (or the last handle destroyed). */
    [[nodiscard]] bool isOpen() const;
    /*!
        \brief How many times a body or a thread has reached the gate, counting the ones that passed
        an open gate, and a canceled wait.
    */
    [[nodiscard]] int arrivals() const;
    /*! \brief How many bodies and threads are held at the gate now. */
    [[nodiscard]] int waiting() const;
    /*!
        \brief Runs a local event loop until \c arrivals() is at least \a count or \a timeout (ms) has
        passed (real time, also under a \c VirtualClock, A23); returns whether enough arrived. Call it
        on a thread with an event loop (the test's main thread); never throws.
    */
    bool waitForArrivals(int count = 1, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    /*!
        \brief Blocks the calling thread until the gate is open, for code that is not a coroutine: a
        \c QtConcurrent::run function, a loop on a pool thread.
        \warning Throws \c AsyncError{WrongThread} on the application's main thread while the gate is
        closed: the test that would open it runs there.
    */
    void pass() const;

    //! \cond internal
    /*! \internal What <tt>co_await gate</tt> uses; not API. */
    class COMMANDKIT_EXPORT Awaiter : public CommandKit::detail::CancelableWait
    {
    public:
        explicit Awaiter(std::shared_ptr<CommandKit::detail::GateState> state)
            : m_state(std::move(state))
        {}
        bool await_ready();
        bool await_suspend(std::coroutine_handle<> handle);
        void await_resume() const;

    private:
        std::shared_ptr<CommandKit::detail::GateState> m_state;
    };
    //! \endcond

    /*!
        \brief <tt>co_await gate</tt>: suspends until \c open() (at once if it is open already); see the
        class for the thread it resumes on and for cancellation.
    */
    [[nodiscard]] Awaiter operator co_await() const { return Awaiter(m_state); }

private:
    // Holds a report on the gate's state, not on a handle, so the gate still opens with its last handle.
    friend class ProgressRecorder;
    struct Opener;
    std::shared_ptr<CommandKit::detail::GateState> m_state;
    // Shared by the handles only (never by waiters): its destructor opens the gate.
    std::shared_ptr<Opener> m_opener;
};

} // namespace CommandKit::Testing
