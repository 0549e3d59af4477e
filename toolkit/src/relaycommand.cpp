// SPDX-License-Identifier: MIT
#include "commandkit/relaycommand.h"

#include "commandkit/errors.h"

namespace CommandKit {

RelayCommand::~RelayCommand() = default;

void RelayCommand::run(const QVariant &parameter)
{
    // C18: a run starts with no error; a failed one leaves its message before errorOccurred goes out.
    setLastError(QString());
    try {
        m_execute(parameter);
    } catch (...) {
        const std::exception_ptr error = std::current_exception();
        setLastError(errorMessage(error));
        handleError(error);
    }
}

} // namespace CommandKit
