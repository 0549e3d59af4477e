// SPDX-License-Identifier: MIT
#include "commandkit/cancellation.h"

#include "commandkit/detail/asyncstatebase.h"

namespace CommandKit {

bool CancellationToken::operator()() const noexcept
{
    return m_state && m_state->cancellationRequested();
}

std::stop_token CancellationToken::stopToken() const
{
    return m_state ? m_state->stopToken() : std::stop_token{};
}

void CancellationToken::callback(std::function<void()> callback) const
{
    if (m_state)
        m_state->setCancelCallback(std::move(callback));
}

bool CancellationToken::enablePropagation(bool enable) const
{
    return m_state ? m_state->setPropagation(enable) : true;
}

} // namespace CommandKit
