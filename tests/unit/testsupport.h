// SPDX-License-Identifier: MIT
// Helpers shared by the unit tests; not part of CommandKit.
#pragma once

#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QThread>

#include <commandkit/asyncoperation.h>
#include <commandkit/errors.h>

#include <atomic>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace CommandKitTests {

/*!
    A suspension point the test opens by hand. <tt>co_await gate</tt> suspends a body until \c open(),
    which resumes it inline on the thread that calls \c open(). It has no \c setOuter(), so \c cancel()
    does not reach it (A15): a canceled body stays suspended on it until the test opens it, which is how a
    test looks into the window between \c cancel() and the end of the body (A5). Awaited through an
    \c AsyncOperation body it still gets the auto-cancel check of A14, like any awaitable.
*/
class Gate
{
public:
    Gate() = default;
    Gate(const Gate &) = delete;
    Gate &operator=(const Gate &) = delete;

    struct Awaiter
    {
        Gate *gate;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> handle) noexcept
        {
            std::lock_guard lock(gate->m_mutex);
            if (gate->m_open)
                return false;
            gate->m_waiter = handle;
            return true;
        }
        void await_resume() const noexcept {}
    };

    Awaiter operator co_await() noexcept { return {this}; }

    /*! Whether a body is suspended on the gate. */
    bool isWaiting() const
    {
        std::lock_guard lock(m_mutex);
        return bool(m_waiter);
    }

    /*! Opens the gate for good; a suspended body resumes inside this call. */
    void open()
    {
        std::coroutine_handle<> waiter;
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
            waiter = std::exchange(m_waiter, nullptr);
        }
        if (waiter)
            waiter.resume();
    }

private:
    mutable std::mutex m_mutex;
    bool m_open = false;
    std::coroutine_handle<> m_waiter;
};

/*! A started QThread with a context object living on it; quits and joins on destruction. */
class WorkerThread
{
public:
    WorkerThread()
    {
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        m_thread.start();
    }
    ~WorkerThread()
    {
        m_thread.quit();
        m_thread.wait();
        delete m_context; // the thread has finished: nothing else touches it
    }
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    QThread *thread() { return &m_thread; }
    QObject *context() const { return m_context; }

private:
    QThread m_thread;
    QObject *m_context = nullptr;
};

/*!
    Runs \a work on a new QThread at once. \c join() waits for its end (5 s by default) and then reads a
    flag the thread set with release order: QThread::wait() synchronises inside uninstrumented Qt, where
    ThreadSanitizer cannot see it, and the flag gives it the happens-before of the join.
*/
class Worker
{
public:
    explicit Worker(std::function<void()> work)
        : m_thread(QThread::create([this, work = std::move(work)] {
            work();
            m_done.store(true, std::memory_order_release);
        }))
    {
        m_thread->start();
    }
    ~Worker() { m_thread->wait(); } // a test that failed before join() must not destroy a running QThread
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    bool join(int timeoutMs = 5000)
    {
        return m_thread->wait(timeoutMs) && m_done.load(std::memory_order_acquire);
    }
    QThread *thread() const { return m_thread.get(); }

private:
    std::atomic<bool> m_done{false};
    std::unique_ptr<QThread> m_thread;
};

/*! Installs a recording unhandled-error handler (C9, A19) and restores the previous one on destruction. */
class UnhandledErrors
{
public:
    UnhandledErrors()
    {
        m_previous =
            CommandKit::setUnhandledErrorHandler([this](std::exception_ptr error, const QString &where) {
                QMutexLocker lock(&m_mutex);
                m_messages << CommandKit::errorMessage(error);
                m_where << where;
            });
    }
    ~UnhandledErrors() { CommandKit::setUnhandledErrorHandler(std::move(m_previous)); }
    UnhandledErrors(const UnhandledErrors &) = delete;
    UnhandledErrors &operator=(const UnhandledErrors &) = delete;

    QStringList messages() const
    {
        QMutexLocker lock(&m_mutex);
        return m_messages;
    }
    QStringList where() const
    {
        QMutexLocker lock(&m_mutex);
        return m_where;
    }

private:
    mutable QMutex m_mutex;
    QStringList m_messages;
    QStringList m_where;
    CommandKit::UnhandledErrorHandler m_previous;
};

/*! The exception type the tests' bodies and delegates throw. */
class TestError : public std::runtime_error
{
public:
    explicit TestError(const std::string &message, int tag = 0)
        : std::runtime_error(message)
        , m_tag(tag)
    {}
    int tag() const noexcept { return m_tag; }

private:
    int m_tag;
};

inline QString codeName(CommandKit::AsyncError::Code code)
{
    switch (code) {
    case CommandKit::AsyncError::IllegalMethodCall:
        return QStringLiteral("AsyncError::IllegalMethodCall");
    case CommandKit::AsyncError::IllegalDelegateAssignment:
        return QStringLiteral("AsyncError::IllegalDelegateAssignment");
    case CommandKit::AsyncError::IllegalStateChange:
        return QStringLiteral("AsyncError::IllegalStateChange");
    case CommandKit::AsyncError::WrongThread:
        return QStringLiteral("AsyncError::WrongThread");
    }
    return QStringLiteral("AsyncError::<unknown code>");
}

/*! What \a f throws, as a comparable name: "nothing", "AsyncError::<Code>", "OperationCanceled", … */
template <typename F>
QString thrown(F &&f)
{
    try {
        f();
    } catch (const CommandKit::AsyncError &e) {
        return codeName(e.code());
    } catch (const CommandKit::OperationCanceled &) {
        return QStringLiteral("OperationCanceled");
    } catch (const TestError &e) {
        return QStringLiteral("TestError: ") + QString::fromUtf8(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("std::exception: ") + QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown exception");
    }
    return QStringLiteral("nothing");
}

/*! The \c what() of what \a f throws; empty when it throws nothing. */
template <typename F>
QString thrownMessage(F &&f)
{
    try {
        f();
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

// Bodies as free functions, shared by the suites: a delegate that returns one of these does not depend on
// its own captures once the body is suspended (C13 deletes the command, and the delegate with it, mid-run).

/*! Suspends until \a gate opens. */
inline CommandKit::AsyncAction waitOn(Gate &gate)
{
    co_await gate;
}

/*! Returns \a value once \a gate opens. */
inline CommandKit::AsyncOperation<int> valueAfter(Gate &gate, int value)
{
    co_await gate;
    co_return value;
}

/*! Throws TestError(\a message) once \a gate opens. */
inline CommandKit::AsyncAction failActionAfter(Gate &gate, std::string message)
{
    co_await gate;
    throw TestError(message);
}

} // namespace CommandKitTests
