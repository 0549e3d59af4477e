// SPDX-License-Identifier: MIT
// Private: not installed, not API.
#pragma once

#include <QtCore/QString>
#include <QtCore/QVariant>

#include <memory>

namespace CommandKit::detail {

/*!
    A value as a test reads it (C21): booleans, QObject pointers, enum keys, lists, maps, gadgets; shared
    by PropertyRecorder and ProgressRecorder. \a nested quotes strings (inside a list, a map, a gadget).
*/
QString testingText(const QVariant &value, bool nested = false);

struct GateState;
/*! Gate::pass() on a gate's state: blocks the calling thread until it is open (C19). */
void passGate(const std::shared_ptr<GateState> &state);

} // namespace CommandKit::detail
