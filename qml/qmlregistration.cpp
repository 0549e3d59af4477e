// SPDX-License-Identifier: MIT
#include "qmlregistration.h"

#include <QtQml/QJSEngine>
// Private: the only way to know whether JavaScript is running, so that a wrong parameter raises an
// error in the calling QML code (C4) and never leaves a stale exception in an idle engine.
#include <QtQml/private/qv4engine_p.h>

namespace CommandKit::Qml {

namespace {

void raiseInCallingJavaScript(Command *command, const QString &message)
{
    QJSEngine *engine = qjsEngine(command);
    if (engine && engine->handle() && engine->handle()->currentStackFrame)
        engine->throwError(QJSValue::TypeError, message);
}

// Installed when the module's library is loaded: the toolkit knows nothing of QML (design.md §1).
[[maybe_unused]] const bool reporterInstalled = [] {
    Command::setWrongParameterReporter(raiseInCallingJavaScript);
    return true;
}();

} // namespace

} // namespace CommandKit::Qml
