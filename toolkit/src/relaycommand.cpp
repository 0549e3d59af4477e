// SPDX-License-Identifier: MIT
#include "commandkit/relaycommand.h"

namespace CommandKit {

RelayCommand::~RelayCommand() = default;

void RelayCommand::run(const QVariant &parameter)
{
    try {
        m_execute(parameter);
    } catch (...) {
        handleError(std::current_exception());
    }
}

} // namespace CommandKit
