// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "commandkit/detail/asyncstate.h"
#include "commandkit/detail/progressprobe.h"
#include "commandkit/detail/tapbuffer.h"

namespace CommandKit::detail {

/*!
    \internal
    Installed around a delegate's call while a ProgressRecorder watches the command (C20): every
    operation of progress type \a P the delegate makes on this thread gets a TapBuffer, and once the
    delegate has returned, finish() attaches the run's and discards the others'. Without a tap it does
    nothing.
*/
template <typename P>
class RunProbe final : public ProgressProbe
{
public:
    explicit RunProbe(const typename TapBuffer<P>::Sink &sink)
        : ProgressProbe(tagOf<P>())
        , m_sink(sink)
        , m_active(static_cast<bool>(sink))
    {
        if (m_active)
            install();
    }
    ~RunProbe()
    {
        // The delegate threw: nothing it made is the run.
        finish(nullptr);
    }

    /*! Ends the probe: \a run's reports go to the tap; returns whether \a run was probed. */
    bool finish(const StatePtr &run) noexcept
    {
        if (!std::exchange(m_active, false))
            return false;
        uninstall();
        bool probed = false;
        for (auto &[state, buffer] : m_offered) {
            if (state == run) {
                probed = true;
                try {
                    buffer->attach();
                    continue;
                } catch (...) {
                    // Out of memory converting a report: the run goes on unrecorded.
                }
            }
            static_cast<ProgressState<P> &>(*state).clearTap(buffer.get());
            buffer->discard();
        }
        m_offered.clear();
        return probed;
    }

private:
    void offer(AsyncStateBase &state) noexcept override
    {
        try {
            auto buffer = std::make_shared<TapBuffer<P>>(m_sink);
            m_offered.emplace_back(StatePtr::retain(&state), buffer);
            static_cast<ProgressState<P> &>(state).setTap([buffer](const P &value) { buffer->report(value); },
                                                          buffer.get());
        } catch (...) {
            // Out of memory: this operation goes unrecorded.
        }
    }

    const typename TapBuffer<P>::Sink &m_sink;
    bool m_active;
    std::vector<std::pair<StatePtr, std::shared_ptr<TapBuffer<P>>>> m_offered;
};

} // namespace CommandKit::detail
