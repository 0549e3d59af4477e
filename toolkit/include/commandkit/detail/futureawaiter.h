// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QUnhandledException>

#include <coroutine>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/asyncstatebase.h"
#include "commandkit/detail/backgroundawaiter.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/detail/resumeonce.h"

namespace CommandKit::detail {

[[noreturn]] COMMANDKIT_EXPORT void throwFutureCanceled();

/*!
    \internal
    co_await on a QFuture inside a body (A17). A QFutureWatcher, not QFuture::then(): a future has a
    single continuation slot, and awaiting must not take it from the code that made the future. The
    watcher lives on the awaiting thread when it has an event loop, so the body resumes there (A12);
    otherwise on the main thread, and the body resumes on a pool thread. cancel() of the outer body
    reaches the future's cancel() (A15). A canceled future throws OperationCanceled; the future's
    exception is rethrown unchanged.
*/
template <typename T>
class FutureAwaiter
{
public:
    explicit FutureAwaiter(QFuture<T> future)
        : m_future(std::move(future))
    {}

    bool await_ready() const { return m_future.isFinished(); }

    bool await_suspend(std::coroutine_handle<> handle)
    {
        if (m_outer && !m_outer->setAwaitedCancel([future = m_future]() mutable { future.cancel(); }))
            m_future.cancel();
        auto once = std::make_shared<ResumeOnce>();
        once->handle = handle;
        const bool hasLoop = currentThreadContext().isSet();
        auto *watcher = new QFutureWatcher<T>();
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, once, hasLoop] {
            watcher->deleteLater();
            if (hasLoop)
                once->resume(false);
            else
                resumeOnPool(backgroundPool(), once->handle);
        });
        // Set before moving: events the watcher was already posted move with it.
        watcher->setFuture(m_future);
        if (!hasLoop && QCoreApplication::instance())
            watcher->moveToThread(QCoreApplication::instance()->thread());
        return true;
    }

    T await_resume()
    {
        try {
            m_future.waitForFinished(); // rethrows the future's exception, if any
        } catch (const QUnhandledException &wrapped) {
            // QtConcurrent wraps exceptions that are not QExceptions; pass the body's own one on (A17).
            if (wrapped.exception())
                std::rethrow_exception(wrapped.exception());
            throw;
        }
        if (m_future.isCanceled())
            throwFutureCanceled();
        if constexpr (!std::is_void_v<T>)
            return m_future.result();
    }

    void setOuter(AsyncStateBase *outer) noexcept { m_outer = outer; }

private:
    QFuture<T> m_future;
    AsyncStateBase *m_outer = nullptr;
};

} // namespace CommandKit::detail
