// SPDX-License-Identifier: MIT
#include "commandkit/compositecommand.h"

#include <QtCore/QPointer>
#include <QtCore/QProperty>
#include <QtCore/QThread>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "commandkit/asyncstatus.h"
#include "commandkit/composition.h"
#include "commandkit/errors.h"

namespace CommandKit {

namespace {

/*! How one child's run ended, as the composite needs it; a child's own failure is data here. */
struct ChildEnd
{
    AsyncStatus status = AsyncStatus::Completed;
    QString error; // "<name>: <message>" for Error
};

QString nameOf(const Command *command)
{
    return command->objectName().isEmpty() ? QString::fromLatin1(command->metaObject()->className())
                                           : command->objectName();
}

// The bodies below are free coroutines with parameters by value: they never touch the composite, so
// its deletion mid-run (C13) only cancels them.

/*!
    Awaits a child's run and turns its end into data, so that whenAll() waits for every child and never
    cancels the others because one failed (C24). Canceled from whenAll(), it cancels the child's run
    (A15) and returns once that run has unwound.
*/
AsyncOperation<ChildEnd> settle(AsyncAction run, QString name)
{
    try {
        co_await run;
        co_return ChildEnd{};
    } catch (const OperationCanceled &) {
        co_return ChildEnd{AsyncStatus::Canceled, {}};
    } catch (...) {
        co_return ChildEnd{AsyncStatus::Error,
                           name + QStringLiteral(": ") + errorMessage(std::current_exception())};
    }
}

/*! A child that has already ended (a synchronous one, or one that refused): its end as an operation. */
AsyncOperation<ChildEnd> ended(ChildEnd end)
{
    co_return end;
}

/*! The composite's run: ends once every child has, Error listing every failure, else Canceled or not. */
AsyncAction conclude(AsyncOperation<QList<ChildEnd>> all)
{
    const QList<ChildEnd> ends = co_await all;
    QStringList errors;
    bool canceled = false;
    for (const ChildEnd &end : ends) {
        if (end.status == AsyncStatus::Error)
            errors << end.error;
        else if (end.status == AsyncStatus::Canceled)
            canceled = true;
    }
    if (!errors.isEmpty())
        throw std::runtime_error(errors.join(QLatin1Char('\n')).toStdString());
    if (canceled)
        throw OperationCanceled("CompositeCommand: a child's run was canceled");
}

} // namespace

struct CompositeCommand::Children
{
    QList<QPointer<Command>> commands;
    // Every child can execute (empty parameter) and there is one: what canExecute's binding reads.
    QProperty<bool> ready{false};

    [[nodiscard]] bool allReady() const
    {
        bool any = false;
        for (const QPointer<Command> &command : commands) {
            if (!command)
                continue;
            any = true;
            if (!command->canExecute())
                return false;
        }
        return any;
    }

    [[nodiscard]] bool admits(const QVariant &parameter) const
    {
        // The empty parameter is canExecute's own question: answered from the bindable.
        if (!parameter.isValid())
            return ready.value();
        bool any = false;
        for (const QPointer<Command> &command : commands) {
            if (!command)
                continue;
            any = true;
            if (!command->canExecuteWith(parameter))
                return false;
        }
        return any;
    }
};

CompositeCommand::CompositeCommand(QObject *parent)
    : CompositeCommand(std::make_shared<Children>(), parent)
{}

CompositeCommand::CompositeCommand(std::shared_ptr<Children> children, QObject *parent)
    : AsyncRelayCommand([this](const QVariant &parameter) { return runChildren(parameter); },
                        [children](const QVariant &parameter) { return children->admits(parameter); }, parent)
    , m_children(std::move(children))
{}

CompositeCommand::~CompositeCommand()
{
    // The base destructor cancels the run, and with it the children's runs, whose signals must not
    // reach this half-destroyed composite.
    for (const QPointer<Command> &command : std::as_const(m_children->commands)) {
        if (command)
            disconnect(command, nullptr, this, nullptr);
    }
}

bool CompositeCommand::registerCommand(Command *command)
{
    if (!command) {
        qCWarning(lcCommandKit, "CompositeCommand::registerCommand: a null command is refused");
        return false;
    }
    const QByteArray name = describe().toUtf8();
    if (command == this) {
        qCWarning(lcCommandKit, "%s: registerCommand() with the composite itself is refused",
                  name.constData());
        return false;
    }
    if (m_children->commands.contains(command)) {
        qCWarning(lcCommandKit, "%s: %s is already a child; nothing changed", name.constData(),
                  qPrintable(nameOf(command)));
        return false;
    }
    if (auto *composite = qobject_cast<CompositeCommand *>(command); composite && composite->contains(this)) {
        qCWarning(lcCommandKit, "%s: %s contains this composite; registering it would make a cycle",
                  name.constData(), qPrintable(nameOf(command)));
        return false;
    }
    if (command->thread() != thread()) {
        qCWarning(lcCommandKit, "%s: %s lives on another thread; refused", name.constData(),
                  qPrintable(nameOf(command)));
        return false;
    }
    m_children->commands.append(command);
    connect(command, &Command::canExecuteChanged, this, &CompositeCommand::childRequery);
    connect(command, &QObject::destroyed, this, &CompositeCommand::childDestroyed);
    Q_EMIT commandsChanged();
    childRequery();
    return true;
}

bool CompositeCommand::unregisterCommand(Command *command)
{
    if (!command || !m_children->commands.removeOne(command)) {
        qCWarning(lcCommandKit, "%s: unregisterCommand() of %s, which is not a child; nothing changed",
                  qPrintable(describe()), command ? qPrintable(nameOf(command)) : "a null command");
        return false;
    }
    disconnect(command, nullptr, this, nullptr);
    Q_EMIT commandsChanged();
    childRequery();
    return true;
}

QList<Command *> CompositeCommand::commands() const
{
    QList<Command *> result;
    result.reserve(m_children->commands.size());
    for (const QPointer<Command> &command : m_children->commands) {
        if (command)
            result.append(command.data());
    }
    return result;
}

bool CompositeCommand::contains(const Command *command) const
{
    for (const QPointer<Command> &child : m_children->commands) {
        if (child == command)
            return true;
        if (auto *composite = qobject_cast<const CompositeCommand *>(child.data());
            composite && composite->contains(command))
            return true;
    }
    return false;
}

void CompositeCommand::childRequery()
{
    // A changed answer is notified by the binding; an unchanged one is still a child's "ask again" (C3).
    const bool before = canExecute();
    m_children->ready = m_children->allReady();
    // While the composite refuses on its own (Reject mode, running: its own children start and end),
    // every answer is false whatever the children say, so there is nothing to ask again.
    if (canExecute() == before && !isBlocked())
        requeryCanExecute();
}

void CompositeCommand::childDestroyed()
{
    // QPointer has already cleared the destroyed child.
    m_children->commands.removeAll(QPointer<Command>());
    Q_EMIT commandsChanged();
    childRequery();
}

AsyncAction CompositeCommand::runChildren(const QVariant &parameter)
{
    // A copy: a child's synchronous delegate may register, unregister or delete children.
    const QList<QPointer<Command>> children = m_children->commands;
    QList<AsyncOperation<ChildEnd>> ends;
    ends.reserve(children.size());
    for (const QPointer<Command> &child : children) {
        if (!child)
            continue;
        const QString name = nameOf(child);
        if (auto *async = qobject_cast<AsyncRelayCommand *>(child.data())) {
            ends.append(settle(async->executeAsync(parameter), name));
        } else if (!child->canExecuteWith(parameter)) {
            // Refused, like an asynchronous child's executeAsync() that ended Canceled at once.
            ends.append(ended({AsyncStatus::Canceled, {}}));
        } else {
            // C18: execute() cleared lastError at its start; a failed run left its message there.
            child->execute(parameter);
            const QString error = child ? child->lastError() : QString();
            ends.append(ended(error.isEmpty()
                                  ? ChildEnd{}
                                  : ChildEnd{AsyncStatus::Error, name + QStringLiteral(": ") + error}));
        }
    }
    return conclude(whenAll(std::move(ends)));
}

} // namespace CommandKit
