// SPDX-License-Identifier: MIT
#include "commandkit/command.h"

#include <QtCore/QMetaMethod>
#include <QtCore/QPointer>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "clock_p.h"
#include "commandkit/commandgroup.h"
#include "commandkit/detail/contextref.h"
#include "commandkit/errors.h"

namespace CommandKit {

namespace {

// Swapped once by the QML module, read on every wrong parameter: a mutex keeps the copy safe.
std::mutex reporterMutex;
Command::WrongParameterReporter wrongParameterReporter;

} // namespace

struct Command::LastError
{
    // A plain QProperty: lastErrorChanged is emitted by setLastError(), held back inside an update.
    QProperty<QString> value;
    // The value before the held-back update that changed it (C14): the signal is for a net change.
    QString before;
    bool held = false;
    // Not lastError's, but as rare (P6): the group this command belongs to (C25). The group unlinks
    // itself before it dies, and the command unlinks itself in ~Command.
    CommandGroup *group = nullptr;
};

struct Command::Pacing
{
    // The command, as the context of its clock calls: they run on its thread, never once it is gone.
    detail::ContextRef self;
    // The debounced call that waits (C22): its clock call (0: none), parameter, start and drop.
    detail::Clock::CallId debounceCall = 0;
    QVariant parameter;
    PacedStart start;
    PacedDrop drop;
    // The end of the open throttle window (C23); 0 while no window is open.
    detail::Clock::CallId throttleCall = 0;
};

Command::Command(QObject *parent)
    : QObject(parent)
{}

Command::~Command()
{
    if (CommandGroup *group = this->group()) {
        // The binding goes first: the group's change would re-evaluate it on this half-destroyed
        // command, whose derived parts (and what its predicate reads) are gone (C25).
        (void)m_canExecute.takeBinding();
        setGroup(nullptr);
        group->drop(this);
    }
    // C22, C13: a call that waits dies with the command; the clock forgets both of its calls.
    dropPaced();
    if (m_pacing)
        detail::Clock::cancel(std::exchange(m_pacing->throttleCall, 0));
}

Command::Pacing &Command::pacing()
{
    if (!m_pacing) {
        auto pacing = std::make_unique<Pacing>();
        pacing->self = detail::ContextRef(this);
        m_pacing = std::move(pacing);
    }
    return *m_pacing;
}

void Command::setDebounce(int milliseconds)
{
    if (milliseconds < 0) {
        qCWarning(lcCommandKit, "%s: setDebounce(%d): a negative debounce is stored as 0 (off)",
                  qPrintable(describe()), milliseconds);
    }
    m_debounce = std::max(0, milliseconds);
}

void Command::setThrottle(int milliseconds)
{
    if (milliseconds < 0) {
        qCWarning(lcCommandKit, "%s: setThrottle(%d): a negative throttle is stored as 0 (off)",
                  qPrintable(describe()), milliseconds);
    }
    m_throttle = std::max(0, milliseconds);
}

bool Command::pace(const QVariant &parameter, PacedStart start, PacedDrop drop) noexcept
{
    if (!isPaced())
        return false;
    try {
        // C4: a wrong type is reported at the call, where a QML caller gets its JavaScript error.
        if (!checkType(parameter)) {
            if (drop)
                drop();
            return true;
        }
        if (const int debounce = m_debounce.valueBypassingBindings(); debounce > 0) {
            Pacing &state = pacing();
            // What may throw first: then the call that waits keeps waiting and this one is dropped.
            QVariant copy = parameter;
            const detail::Clock::CallId call = detail::Clock::callAfter(
                std::chrono::milliseconds(debounce), state.self, [this] { runDebounced(); });
            dropPaced();
            state.debounceCall = call;
            state.parameter = std::move(copy);
            state.start = std::move(start);
            state.drop = std::move(drop);
            return true;
        }
        // C23: leading edge; inside an open window the call is ignored.
        if (m_pacing && m_pacing->throttleCall != 0) {
            if (drop)
                drop();
            return true;
        }
        return false;
    } catch (...) {
        // Out of memory: nothing runs, the error goes to C9.
        dropAfterError(drop);
        return true;
    }
}

void Command::paceStarted() noexcept
{
    const int throttle = m_throttle.valueBypassingBindings();
    if (throttle <= 0 || m_debounce.valueBypassingBindings() > 0)
        return;
    try {
        Pacing &state = pacing();
        detail::Clock::cancel(std::exchange(state.throttleCall, 0));
        state.throttleCall = detail::Clock::callAfter(std::chrono::milliseconds(throttle), state.self,
                                                      [this] { m_pacing->throttleCall = 0; });
    } catch (...) {
        // Out of memory: the run goes ahead without a window.
        reportUnhandledError(std::current_exception(), describe() + QStringLiteral(" (its throttle window)"));
    }
}

void Command::dropPaced() noexcept
{
    if (!m_pacing || m_pacing->debounceCall == 0)
        return;
    detail::Clock::cancel(std::exchange(m_pacing->debounceCall, 0));
    m_pacing->parameter = QVariant();
    m_pacing->start = nullptr;
    if (const PacedDrop drop = std::exchange(m_pacing->drop, nullptr))
        drop();
}

void Command::runDebounced() noexcept
{
    Pacing &state = *m_pacing;
    state.debounceCall = 0;
    const QVariant parameter = std::exchange(state.parameter, QVariant());
    const PacedStart start = std::exchange(state.start, nullptr);
    const PacedDrop drop = std::exchange(state.drop, nullptr);
    // Called by the clock from the event loop: nothing may escape (C9).
    try {
        bool started = false;
        if (start) {
            started = start(parameter);
        } else if (admit(parameter)) {
            runAdmitted(parameter);
            started = true;
        }
        if (!started && drop)
            drop();
    } catch (...) {
        dropAfterError(drop);
    }
}

void Command::dropAfterError(const PacedDrop &drop) noexcept
{
    const std::exception_ptr error = std::current_exception();
    if (drop)
        drop();
    try {
        handleError(error);
    } catch (...) {
        reportUnhandledError(std::current_exception(), describe());
    }
}

void Command::initialize(detail::ParameterType parameterType, std::function<bool(const QVariant &)> predicate)
{
    m_parameterType = parameterType;
    m_predicate = std::move(predicate);
    // Set here, not in the constructor: the binding calls isBlocked(), virtual in the derived class.
    m_canExecute.setBinding([this] {
        (void)m_requery.value();
        return evaluate(QVariant());
    });
}

bool Command::canExecute() const
{
    return m_canExecute.value();
}

QBindable<bool> Command::bindableCanExecute()
{
    return &m_canExecute;
}

bool Command::canExecuteWith(const QVariant &parameter)
{
    return evaluate(parameter);
}

bool Command::evaluate(const QVariant &parameter)
{
    try {
        // The parameter's conversion (a copy of T) may throw as the predicate may: false, and C9.
        if (m_parameterType.accepts && !m_parameterType.accepts(parameter))
            return false;
        if (isBlocked())
            return false;
        // Reads the group's bindable running set, so canExecute follows the other members (C25).
        if (m_lastError && m_lastError->group && m_lastError->group->excludes(this))
            return false;
        if (!m_predicate)
            return true;
        return m_predicate(parameter);
    } catch (...) {
        // Posted: never emitted from inside the property binding or a QML binding that asked (C9).
        std::exception_ptr error = std::current_exception();
        QMetaObject::invokeMethod(
            this, [this, error] { handleError(error); }, Qt::QueuedConnection);
        return false;
    }
}

void Command::execute(const QVariant &parameter)
{
    if (isPaced() && pace(parameter, nullptr, nullptr))
        return;
    if (admit(parameter))
        runAdmitted(parameter);
}

void Command::runAdmitted(const QVariant &parameter)
{
    // Read here rather than through group(): an exported function is not inlined, and this is P1's path.
    if (!m_lastError || !m_lastError->group) {
        if (isPaced())
            paceStarted();
        run(parameter);
        return;
    }
    // C25: the member counts as running for the whole call, which is all the running a synchronous
    // command does. Guarded: the delegate may delete the group or this command (then the group has
    // dropped it already and leave() only compares the pointer).
    const QPointer<CommandGroup> group = m_lastError->group;
    group->enter(this);
    const auto leave = qScopeGuard([&group, this] {
        if (group)
            group->leave(this);
    });
    if (isPaced())
        paceStarted();
    run(parameter);
}

bool Command::admit(const QVariant &parameter)
{
    return checkType(parameter) && canExecuteWith(parameter);
}

bool Command::checkType(const QVariant &parameter)
{
    bool wrongType = false;
    try {
        wrongType = m_parameterType.accepts && !m_parameterType.accepts(parameter);
    } catch (...) {
        // A conversion that throws is not a wrong type: nothing runs and the error goes to C9.
        handleError(std::current_exception());
        return false;
    }
    if (wrongType) {
        const QString received = parameter.isValid() ? QString::fromLatin1(parameter.metaType().name())
                                                     : QStringLiteral("an empty QVariant");
        const QString message = QStringLiteral("%1: execute() expects a parameter of type %2, received %3")
                                    .arg(describe(), parameterTypeName(), received);
        handleError(std::make_exception_ptr(std::invalid_argument(message.toStdString())));
        WrongParameterReporter reporter;
        {
            std::lock_guard lock(reporterMutex);
            reporter = wrongParameterReporter;
        }
        if (reporter)
            reporter(this, message);
        return false;
    }
    return true;
}

void Command::notifyCanExecuteChanged()
{
    if (thread() != QThread::currentThread()) {
        QMetaObject::invokeMethod(this, &Command::notifyCanExecuteChanged, Qt::QueuedConnection);
        return;
    }
    const bool before = m_canExecute.value();
    m_requery = m_requery.value() + 1;
    // A changed answer was already notified by the binding; an unchanged one still means "re-query".
    if (m_canExecute.value() == before)
        requeryCanExecute();
}

void Command::requeryCanExecute()
{
    if (m_canExecuteChangedDeferred)
        m_canExecuteChangedHeld = true;
    else
        emitCanExecuteChanged();
}

void Command::deferCanExecuteChanged()
{
    m_canExecuteChangedDeferred = true;
}

void Command::releaseCanExecuteChanged()
{
    m_canExecuteChangedDeferred = false;
    // C18: lastError's signal comes with the update's, before canExecuteChanged, for a net change only.
    if (m_lastError && std::exchange(m_lastError->held, false) &&
        std::exchange(m_lastError->before, QString()) != m_lastError->value.value()) {
        // A slot may delete the command (C13).
        const QPointer<Command> alive(this);
        Q_EMIT lastErrorChanged();
        if (!alive)
            return;
    }
    if (std::exchange(m_canExecuteChangedHeld, false))
        emitCanExecuteChanged();
}

Command::LastError &Command::lastErrorData() const
{
    if (!m_lastError)
        m_lastError = std::make_unique<LastError>();
    return *m_lastError;
}

CommandGroup *Command::group() const
{
    return m_lastError ? m_lastError->group : nullptr;
}

void Command::setGroup(CommandGroup *group)
{
    if (group || m_lastError)
        lastErrorData().group = group;
}

QString Command::lastError() const
{
    return lastErrorData().value.value();
}

QBindable<QString> Command::bindableLastError()
{
    return &lastErrorData().value;
}

void Command::setLastError(const QString &message)
{
    // Most runs start with nothing to clear: no allocation, no bindable's setter (P1, P2).
    if (!m_lastError && message.isEmpty())
        return;
    LastError &data = lastErrorData();
    if (data.value.value() == message)
        return;
    const bool deferred = m_canExecuteChangedDeferred;
    if (deferred && !data.held) {
        data.before = data.value.value();
        data.held = true;
    }
    data.value = message;
    if (!deferred)
        Q_EMIT lastErrorChanged();
}

void Command::emitCanExecuteChanged()
{
    // Before the signal: a QML binding re-evaluated by it reads the new revision.
    ++m_canExecuteRevision;
    Q_EMIT canExecuteChanged();
}

void Command::setErrorHandler(ErrorHandler handler)
{
    m_errorHandler = handler ? std::make_unique<ErrorHandler>(std::move(handler)) : nullptr;
}

QString Command::parameterTypeName() const
{
    return m_parameterType.type.isValid() ? QString::fromLatin1(m_parameterType.type.name()) : QString();
}

Command::WrongParameterReporter Command::setWrongParameterReporter(WrongParameterReporter reporter)
{
    std::lock_guard lock(reporterMutex);
    return std::exchange(wrongParameterReporter, std::move(reporter));
}

bool Command::isBlocked() const
{
    return false;
}

void Command::handleError(const std::exception_ptr &error)
{
    bool handled = false;
    if (m_errorHandler) {
        handled = true;
        // The handler may delete the command (C13): then errorOccurred has nobody left to tell.
        const QPointer<Command> alive(this);
        const QString name = describe();
        try {
            (*m_errorHandler)(error);
        } catch (...) {
            reportUnhandledError(std::current_exception(), name + QStringLiteral(" (its error handler)"));
        }
        if (!alive)
            return;
    }
    if (isSignalConnected(QMetaMethod::fromSignal(&Command::errorOccurred))) {
        handled = true;
        try {
            Q_EMIT errorOccurred(errorMessage(error));
        } catch (...) {
            reportUnhandledError(std::current_exception(),
                                 describe() + QStringLiteral(" (an errorOccurred slot)"));
        }
    }
    if (!handled)
        reportUnhandledError(error, describe());
}

QString Command::describe() const
{
    return QStringLiteral("%1 '%2'").arg(QString::fromLatin1(metaObject()->className()), objectName());
}

} // namespace CommandKit
