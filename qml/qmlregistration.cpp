// SPDX-License-Identifier: MIT
#include "qmlregistration.h"

#include <QtCore/QThread>
#include <QtQml/QJSEngine>

namespace CommandKit::Qml {

namespace {

// Whether JavaScript of this engine is running, i.e. C++ was called from JavaScript: a probe evaluated
// now runs on top of the frames of the running JavaScript, and the stack trace of the exception it
// throws lists them below its own frame. Public API only; it runs only when a wrong parameter arrives.
bool isJavaScriptRunning(QJSEngine *engine)
{
    QStringList stackTrace;
    engine->evaluate(QStringLiteral("throw 0"), QStringLiteral("commandkit:probe"), 1, &stackTrace);
    return stackTrace.size() > 1;
}

// A wrong parameter raises an error in the calling QML code (C4). Without JavaScript on the stack,
// e.g. when C++ called execute(), nothing is thrown: the exception would wait in the idle engine and
// surface in whatever JavaScript runs next. An exception already pending is left as it is.
void raiseInCallingJavaScript(Command *command, const QString &message)
{
    QJSEngine *engine = qjsEngine(command);
    if (engine && engine->thread() == QThread::currentThread() && !engine->hasError() &&
        isJavaScriptRunning(engine))
        engine->throwError(QJSValue::TypeError, message);
}

// Installed when the module's library is loaded: the toolkit knows nothing of QML (design.md §1).
[[maybe_unused]] const bool reporterInstalled = [] {
    Command::setWrongParameterReporter(raiseInCallingJavaScript);
    return true;
}();

} // namespace

} // namespace CommandKit::Qml
