// SPDX-License-Identifier: MIT
#include "commandkit/detail/asyncstatebase.h"
#include "commandkit/detail/progressprobe.h"
#include "commandkit/detail/stateref.h"

#include <QtCore/QMetaEnum>

#include <algorithm>
#include <deque>
#include <string>

namespace CommandKit::detail {

namespace {

std::string statusName(AsyncStatus status)
{
    return QMetaEnum::fromType<AsyncStatus>().valueToKey(int(status));
}

std::string describe(const char *call, quint64 id)
{
    return std::string("AsyncOperation::") + call + " (operation " + std::to_string(id) + ")";
}

} // namespace

std::atomic<quint64> nextOperationId{1};

void AsyncStateBase::setStatusLocked(AsyncStatus status, bool ended) noexcept
{
    quint64 word = m_word.load(std::memory_order_relaxed);
    quint64 next;
    do {
        next = (word & ~StatusMask) | quint64(status);
        if (ended)
            next &= ~RunningBit;
        // release: publishes the error and result with the status; others change only the count.
    } while (!m_word.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_relaxed));
}

void AsyncStateBase::throwClosed(const char *call) const
{
    throw AsyncError(AsyncError::IllegalMethodCall, describe(call, m_id) + " called after close()");
}

void AsyncStateBase::throwForResults(const char *call, AsyncStatus observed) const
{
    requireOpen(call);
    switch (observed) {
    case AsyncStatus::Completed:
        break; // only when closed, and requireOpen() has thrown
    case AsyncStatus::Started:
        throw AsyncError(AsyncError::IllegalMethodCall,
                         describe(call, m_id) +
                             " called while the operation is Started: it has no result yet");
    case AsyncStatus::Canceled:
    case AsyncStatus::Error:
        break;
    }
    std::exception_ptr error = errorCode();
    if (!error)
        throw OperationCanceled(describe(call, m_id) + ": the operation was canceled");
    std::rethrow_exception(error);
}

std::exception_ptr AsyncStateBase::errorCode() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool AsyncStateBase::cancel() noexcept
{
    std::function<void()> callback;
    std::function<void()> hook;
    std::stop_source source{std::nostopstate};
    {
        std::lock_guard lock(m_mutex);
        // Watched first: from here the lock-free end cannot slip in between this check and the
        // status change below (A3: only Started can be left); it takes the locked path and waits.
        if (!watch() || status() != AsyncStatus::Started)
            return false;
        try {
            m_error = std::make_exception_ptr(
                OperationCanceled("operation " + std::to_string(m_id) + " was canceled"));
        } catch (...) {
            m_error = std::current_exception();
        }
        m_cancelRequested.store(true, std::memory_order_release);
        setStatusLocked(AsyncStatus::Canceled, false);
        callback = std::move(m_cancelCallback);
        m_cancelCallback = nullptr;
        if (m_propagate)
            hook = m_awaitedCancel;
        source = m_stopSource;
    }
    // A4: everything the request reaches runs here, synchronously, outside the lock.
    if (source.stop_possible())
        source.request_stop();
    if (callback)
        invokeGuarded(callback, "cancellation callback");
    if (hook)
        invokeGuarded(hook, "cancellation propagation");
    return true;
}

void AsyncStateBase::close()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_closed.load(std::memory_order_relaxed))
            return;
        if (isRunning()) {
            throw AsyncError(AsyncError::IllegalStateChange,
                             describe("close()", m_id) + " called while the body is still running (status " +
                                 statusName(status()) + ")");
        }
        m_closed.store(true, std::memory_order_release);
        m_completed = nullptr;
        m_completedContext = {};
    }
    onClosed();
}

template <typename F>
void AsyncStateBase::deliverOn(const ContextRef &context, F &&call, const char *where) noexcept
{
    if (!context.isSet() || context.isCurrentThread()) {
        invokeGuarded(call, where);
        return;
    }
    try {
        context.post([call = std::forward<F>(call), where]() mutable { invokeGuarded(call, where); });
    } catch (...) {
        reportUnhandledError(std::current_exception(), QString::fromLatin1(where));
    }
}

void AsyncStateBase::setCompleted(ContextRef context, CompletedFn handler)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_completedAssigned) {
            throw AsyncError(AsyncError::IllegalDelegateAssignment,
                             describe("setCompleted()", m_id) +
                                 " called a second time: the handler is set once");
        }
        m_completedAssigned = true;
        if (watch()) {
            m_completed = std::move(handler);
            m_completedContext = std::move(context);
            return;
        }
    }
    // A6: set after the end, it runs now (or is posted to a context on another thread).
    if (handler)
        deliverCompleted(context, std::move(handler));
}

bool AsyncStateBase::observeEnd(ContextRef context, std::function<void()> &observer)
{
    {
        std::lock_guard lock(m_mutex);
        if (watch()) {
            if (m_endObserver)
                return false;
            m_endObserver = std::move(observer);
            m_endContext = std::move(context);
            return true;
        }
    }
    if (observer)
        deliverOn(context, std::move(observer), "end observer");
    return true;
}

bool AsyncStateBase::addContinuation(Continuation *node) noexcept
{
    std::lock_guard lock(m_mutex);
    if (!watch())
        return false;
    node->next = m_continuations;
    m_continuations = node;
    return true;
}

AsyncStatus AsyncStateBase::wait(std::optional<std::chrono::milliseconds> timeout, const char *call)
{
    requireOpen(call);
    if (!isRunning())
        return status();
    if (isMainThread()) {
        throw AsyncError(AsyncError::WrongThread,
                         describe(call, m_id) + " would block the main thread while the body runs (status " +
                             statusName(status()) + "); use CommandKit::Testing::wait()");
    }
    std::unique_lock lock(m_mutex);
    if (!watch())
        return status();
    if (!m_ended)
        m_ended = std::make_unique<std::condition_variable>();
    const auto ended = [this] { return !isRunning(); };
    if (timeout)
        m_ended->wait_for(lock, *timeout, ended);
    else
        m_ended->wait(lock, ended);
    return isRunning() ? AsyncStatus::Started : status();
}

std::stop_token AsyncStateBase::stopToken()
{
    std::lock_guard lock(m_mutex);
    if (!m_stopSource.stop_possible()) {
        m_stopSource = std::stop_source();
        if (m_cancelRequested.load(std::memory_order_relaxed))
            m_stopSource.request_stop();
    }
    return m_stopSource.get_token();
}

bool AsyncStateBase::shareStopSource(const std::stop_source &source)
{
    bool requested = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopSource.stop_possible())
            return false;
        m_stopSource = source;
        requested = m_cancelRequested.load(std::memory_order_relaxed);
    }
    // Requested already: the source learns it now. Outside the lock: its stop callbacks are the
    // delegate's, and may call back into this operation.
    if (requested)
        std::stop_source(source).request_stop();
    return true;
}

void AsyncStateBase::setCancelCallback(std::function<void()> callback)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_cancelRequested.load(std::memory_order_relaxed)) {
            watch();
            m_cancelCallback = std::move(callback);
            return;
        }
    }
    // A13: registered after cancel(), it runs at once, inside the registration.
    if (callback)
        invokeGuarded(callback, "cancellation callback");
}

bool AsyncStateBase::setPropagation(bool enabled)
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_propagate, enabled);
}

bool AsyncStateBase::propagates() const
{
    std::lock_guard lock(m_mutex);
    return m_propagate;
}

bool AsyncStateBase::setAwaitedCancel(std::function<void()> hook)
{
    std::lock_guard lock(m_mutex);
    if (m_cancelRequested.load(std::memory_order_relaxed))
        return !m_propagate;
    watch();
    m_awaitedCancel = std::move(hook);
    return true;
}

void AsyncStateBase::clearAwaitedCancel() noexcept
{
    std::function<void()> old;
    std::lock_guard lock(m_mutex);
    old = std::move(m_awaitedCancel);
    m_awaitedCancel = nullptr;
}

void AsyncStateBase::finish(std::exception_ptr error) noexcept
{
    Continuation *nodes = nullptr;
    CompletedFn handler;
    ContextRef context;
    std::function<void()> endObserver;
    ContextRef endContext;
    std::function<void()> callback;
    {
        std::lock_guard lock(m_mutex);
        // Watched: a lock-free end racing this one (a body that ends while someone else finishes its
        // state) waits for this lock instead of writing the status word behind it.
        if (!watch())
            return;
        const AsyncStatus current = status();
        AsyncStatus next = current;
        if (error && isCancellation(error)) {
            if (current == AsyncStatus::Started) {
                m_error = std::move(error);
                m_cancelRequested.store(true, std::memory_order_release);
                next = AsyncStatus::Canceled;
            }
        } else if (error) {
            // A3: the one way out of Canceled.
            m_error = std::move(error);
            next = AsyncStatus::Error;
        } else if (current == AsyncStatus::Started) {
            next = AsyncStatus::Completed;
        }
        setStatusLocked(next, true);
        if (m_ended)
            m_ended->notify_all();
        nodes = std::exchange(m_continuations, nullptr);
        handler = std::move(m_completed);
        m_completed = nullptr;
        context = std::move(m_completedContext);
        m_completedContext = {};
        endObserver = std::move(m_endObserver);
        m_endObserver = nullptr;
        endContext = std::move(m_endContext);
        m_endContext = {};
        callback = std::move(m_cancelCallback);
        m_awaitedCancel = nullptr;
    }
    onEnded();
    if (handler)
        deliverCompleted(context, std::move(handler));
    if (endObserver)
        deliverOn(endContext, std::move(endObserver), "end observer");
    // Registration pushed to the front; run in registration order.
    Continuation *ordered = nullptr;
    while (nodes) {
        Continuation *next = nodes->next;
        nodes->next = ordered;
        ordered = nodes;
        nodes = next;
    }
    while (ordered) {
        Continuation *next = ordered->next;
        ordered->resume();
        ordered = next;
    }
}

void AsyncStateBase::deliverCompleted(const ContextRef &context, CompletedFn handler) noexcept
{
    deliverOn(
        context,
        [self = StateRef<AsyncStateBase>::retain(this), handler = std::move(handler)] {
            handler(*self, self->status());
        },
        "completed handler");
}

namespace {

// The inline resumptions of this thread: the outermost one drains what nested ones queue.
struct InlineResumptions
{
    bool draining = false;
    std::deque<std::coroutine_handle<>> queued;
};

InlineResumptions &inlineResumptions()
{
    thread_local InlineResumptions resumptions;
    return resumptions;
}

} // namespace

void resumeInline(std::coroutine_handle<> handle) noexcept
{
    InlineResumptions &resumptions = inlineResumptions();
    if (resumptions.draining) {
        resumptions.queued.push_back(handle);
        return;
    }
    resumptions.draining = true;
    handle.resume();
    while (!resumptions.queued.empty()) {
        const std::coroutine_handle<> next = resumptions.queued.front();
        resumptions.queued.pop_front();
        next.resume();
    }
    resumptions.draining = false;
}

} // namespace CommandKit::detail

namespace CommandKit::detail {

void throwCanceledAtAwait(quint64 id)
{
    throw OperationCanceled("co_await in the body of canceled operation " + std::to_string(id));
}

} // namespace CommandKit::detail

namespace CommandKit::detail {

namespace {
thread_local ProgressProbe *currentProbe = nullptr;
} // namespace

std::atomic<int> ProgressProbe::installed{0};

void ProgressProbe::install() noexcept
{
    m_previous = currentProbe;
    currentProbe = this;
    installed.fetch_add(1, std::memory_order_relaxed);
}

void ProgressProbe::uninstall() noexcept
{
    installed.fetch_sub(1, std::memory_order_relaxed);
    currentProbe = m_previous;
}

void ProgressProbe::offerToCurrent(AsyncStateBase &state, const void *progressTag) noexcept
{
    if (ProgressProbe *probe = currentProbe; probe && probe->m_tag == progressTag)
        probe->offer(state);
}

} // namespace CommandKit::detail
