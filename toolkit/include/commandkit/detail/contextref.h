// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QObject>

#include <functional>
#include <memory>

#include "commandkit/commandkit_export.h"

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
#endif

namespace CommandKit::detail {

/*!
    \internal
    Hand-offs through Qt (posted events, QThreadPool, timers) synchronise inside Qt, which is not
    instrumented, so ThreadSanitizer cannot see them. The sender calls tsanHandOff() after building what
    it hands over and before handing it to Qt; the receiving code calls tsanTakeOver() before it reads
    any of it. One process-wide key: TSan then orders everything before a hand-off before everything
    after the matching take-over. No-ops outside ThreadSanitizer builds.
*/
#if defined(__SANITIZE_THREAD__)
inline char tsanHandOffKey;
#endif
inline void tsanHandOff() noexcept
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(&tsanHandOffKey);
#endif
}
inline void tsanTakeOver() noexcept
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(&tsanHandOffKey);
#endif
}

/*!
    \internal
    A thread-safe weak reference to a context object: work can be posted to the object's thread from
    any thread, and is dropped once the object is destroyed. QPointer alone is not enough: it may not
    be read while another thread destroys the object. The anchor is cleared by a direct connection to
    \c QObject::destroyed under its own mutex, and posting happens under that mutex, so a post either
    reaches the event queue before the destructor removes the object's posted events or sees null.
*/
class COMMANDKIT_EXPORT ContextRef
{
public:
    ContextRef() = default;
    explicit ContextRef(QObject *context);

    /*! Whether a context was given (it may be gone since). */
    [[nodiscard]] bool isSet() const noexcept { return m_anchor != nullptr; }
    /*! Whether the context is alive and lives on the calling thread. */
    [[nodiscard]] bool isCurrentThread() const;
    /*! The context's thread, or null when the context is gone (or none was given). */
    [[nodiscard]] QThread *thread() const;
    /*! Posts \a work to the context's thread; returns false and drops it when the context is gone. */
    bool post(std::function<void()> work) const;

    friend bool operator==(const ContextRef &a, const ContextRef &b) noexcept
    {
        return a.m_anchor == b.m_anchor;
    }

private:
    struct Anchor;
    std::shared_ptr<Anchor> m_anchor;
};

/*!
    \internal
    The context of the calling thread for resuming coroutines there: set when the thread runs an
    event loop (the application's main thread always counts, as it processes events in tests through
    QTest and local loops), unset for a thread without one, such as a QThreadPool worker.
*/
COMMANDKIT_EXPORT ContextRef currentThreadContext();

/*! \internal Whether the caller is on the application's main thread (a QCoreApplication exists). */
COMMANDKIT_EXPORT bool isMainThread() noexcept;

} // namespace CommandKit::detail
