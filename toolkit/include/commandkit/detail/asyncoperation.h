// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <coroutine>
#include <memory>
#include <string>
#include <utility>

#include <QtCore/qglobal.h>

#include <QCoro/QCoroTask>

#include "commandkit/detail/asyncpromise.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/detail/operationawaiter.h"
#include "commandkit/detail/stateaccess.h"

namespace CommandKit {

template <typename TResult, typename TProgress>
detail::AsyncStateBase &AsyncOperation<TResult, TProgress>::base(const char *call) const
{
    if (!m_state) {
        throw AsyncError(AsyncError::IllegalMethodCall,
                         std::string("AsyncOperation::") + call + " called on an empty handle");
    }
    return *m_state;
}

template <typename TResult, typename TProgress>
typename AsyncOperation<TResult, TProgress>::State &
AsyncOperation<TResult, TProgress>::typed(const char *call) const
{
    return static_cast<State &>(base(call));
}

template <typename TResult, typename TProgress>
quint64 AsyncOperation<TResult, TProgress>::id() const
{
    return base("id()").id();
}

template <typename TResult, typename TProgress>
AsyncStatus AsyncOperation<TResult, TProgress>::status() const
{
    auto &state = base("status()");
    state.requireOpen("status()");
    return state.status();
}

template <typename TResult, typename TProgress>
bool AsyncOperation<TResult, TProgress>::isRunning() const
{
    auto &state = base("isRunning()");
    state.requireOpen("isRunning()");
    return state.isRunning();
}

template <typename TResult, typename TProgress>
std::exception_ptr AsyncOperation<TResult, TProgress>::errorCode() const
{
    auto &state = base("errorCode()");
    state.requireOpen("errorCode()");
    return state.errorCode();
}

template <typename TResult, typename TProgress>
QString AsyncOperation<TResult, TProgress>::errorString() const
{
    auto &state = base("errorString()");
    state.requireOpen("errorString()");
    return errorMessage(state.errorCode());
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::cancel() const
{
    base("cancel()").cancel();
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::close() const
{
    base("close()").close();
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setCompleted(CompletedHandler handler) const
{
    installCompleted(false, nullptr, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setCompleted(QObject *context, CompletedHandler handler) const
{
    installCompleted(true, context, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::installCompleted(bool withContext, QObject *context,
                                                          CompletedHandler handler) const
{
    auto &state = base("setCompleted()");
    state.requireOpen("setCompleted()");
    if (withContext && !context)
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "AsyncOperation::setCompleted() called with a null context");
    detail::AsyncStateBase::CompletedFn fn;
    if (handler) {
        fn = [handler = std::move(handler)](detail::AsyncStateBase &s, AsyncStatus status) {
            handler(AsyncOperation(detail::StatePtr::retain(&s)), status);
        };
    }
    state.setCompleted(withContext ? detail::ContextRef(context) : detail::ContextRef(), std::move(fn));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setProgress(ProgressHandler handler) const
    requires(!std::is_void_v<TProgress>)
{
    installProgress(false, nullptr, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::setProgress(QObject *context, ProgressHandler handler) const
    requires(!std::is_void_v<TProgress>)
{
    installProgress(true, context, std::move(handler));
}

template <typename TResult, typename TProgress>
void AsyncOperation<TResult, TProgress>::installProgress(bool withContext, QObject *context,
                                                         ProgressHandler handler) const
{
    auto &state = typed("setProgress()");
    state.requireOpen("setProgress()");
    if (withContext && !context)
        throw AsyncError(AsyncError::IllegalMethodCall,
                         "AsyncOperation::setProgress() called with a null context");
    typename detail::ProgressState<TProgress>::Handler fn;
    if (handler) {
        fn = [handler = std::move(handler)](detail::ProgressState<TProgress> &s, const TProgress &value) {
            handler(AsyncOperation(detail::StatePtr::retain(&s)), value);
        };
    }
    state.setHandler(withContext ? detail::ContextRef(context) : detail::ContextRef(), std::move(fn));
}

template <typename TResult, typename TProgress>
TResult AsyncOperation<TResult, TProgress>::getResults() const
{
    auto &state = typed("getResults()");
    state.requireResults("getResults()");
    if constexpr (!std::is_void_v<TResult>)
        return state.result();
}

template <typename TResult, typename TProgress>
TResult AsyncOperation<TResult, TProgress>::get() const
{
    base("get()").wait(std::nullopt, "get()");
    return getResults();
}

template <typename TResult, typename TProgress>
AsyncStatus AsyncOperation<TResult, TProgress>::waitFor(std::chrono::milliseconds timeout) const
{
    return base("waitFor()").wait(timeout, "waitFor()");
}

template <typename TResult, typename TProgress>
detail::OperationAwaiter<TResult, TProgress> AsyncOperation<TResult, TProgress>::operator co_await() const
{
    base("co_await").requireOpen("co_await");
    return detail::OperationAwaiter<TResult, TProgress>(m_state.get(), false);
}

} // namespace CommandKit
