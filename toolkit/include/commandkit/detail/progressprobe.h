// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <atomic>

#include "commandkit/commandkit_export.h"

namespace CommandKit::detail {

class AsyncStateBase;

/*!
    \internal
    A test's probe on the progress of the operations made on one thread while it is installed (C20):
    a command installs one around its delegate's call while a ProgressRecorder watches it, so that the
    recorder sees every report of the run, also those made before the delegate returned. Each
    \c ProgressState<P> made meanwhile with the probe's progress type is offered to it. Costs a relaxed
    load per operation when no probe is installed anywhere (P3).
*/
class COMMANDKIT_EXPORT ProgressProbe
{
public:
    /*! A probe for progress type \a progressTag; install() makes it this thread's. */
    explicit ProgressProbe(const void *progressTag) noexcept
        : m_tag(progressTag)
    {}
    ProgressProbe(const ProgressProbe &) = delete;
    ProgressProbe &operator=(const ProgressProbe &) = delete;

    /*! A distinct tag for each progress type. */
    template <typename P>
    static const void *tagOf() noexcept
    {
        static const char tag = 0;
        return &tag;
    }

    /*! Called from the constructor of every ProgressState<P> (P with \a progressTag). */
    static void offerNew(AsyncStateBase &state, const void *progressTag) noexcept
    {
        if (installed.load(std::memory_order_relaxed) != 0)
            offerToCurrent(state, progressTag);
    }

protected:
    ~ProgressProbe() = default;
    /*! Makes this the probe of the calling thread until uninstall(). */
    void install() noexcept;
    void uninstall() noexcept;
    /*! A new operation of the probe's progress type, made on this thread while installed. */
    virtual void offer(AsyncStateBase &state) noexcept = 0;

private:
    static void offerToCurrent(AsyncStateBase &state, const void *progressTag) noexcept;
    // How many threads have a probe installed now; relaxed: a thread reads its own in program order.
    static std::atomic<int> installed;
    const void *const m_tag;
    ProgressProbe *m_previous = nullptr;
};

} // namespace CommandKit::detail
