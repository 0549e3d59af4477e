// SPDX-License-Identifier: MIT
#include "commandkit/commandgroup.h"

#include <QtCore/QThread>

#include <algorithm>

#include "commandkit/asyncrelaycommand.h"
#include "commandkit/command.h"
#include "commandkit/errors.h"

namespace CommandKit {

CommandGroup::CommandGroup(QObject *parent)
    : QObject(parent)
{
    m_running.setBinding([this] {
        (void)m_revision.value();
        QList<const Command *> running;
        for (const Member &member : m_members) {
            // isRunning() reads the member's bindable: the set follows every member's run.
            if (member.inExecute > 0 || (member.async && member.async->isRunning()))
                running.append(member.command);
        }
        return running;
    });
    m_isRunning.setBinding([this] { return !m_running.value().isEmpty(); });
}

CommandGroup::~CommandGroup()
{
    // Unlinked first, then re-queried: each member's binding drops its dependency on m_running
    // before m_running is destroyed.
    const QList<Member> members = std::exchange(m_members, {});
    for (const Member &member : members)
        member.command->setGroup(nullptr);
    for (const Member &member : members)
        member.command->notifyCanExecuteChanged();
}

CommandGroup *CommandGroup::groupOf(const Command *command)
{
    return command ? command->group() : nullptr;
}

bool CommandGroup::registerCommand(Command *command)
{
    if (!command) {
        qCWarning(lcCommandKit, "CommandGroup::registerCommand: a null command is refused");
        return false;
    }
    if (command->group() == this) {
        qCWarning(lcCommandKit, "CommandGroup::registerCommand: %s '%s' is already a member; nothing changed",
                  command->metaObject()->className(), qPrintable(command->objectName()));
        return false;
    }
    if (command->group()) {
        qCWarning(lcCommandKit,
                  "CommandGroup::registerCommand: %s '%s' belongs to another group (a command belongs to "
                  "at most one); unregister it there first",
                  command->metaObject()->className(), qPrintable(command->objectName()));
        return false;
    }
    if (command->thread() != thread()) {
        qCWarning(lcCommandKit,
                  "CommandGroup::registerCommand: %s '%s' lives on another thread than the group",
                  command->metaObject()->className(), qPrintable(command->objectName()));
        return false;
    }
    m_members.append({command, qobject_cast<AsyncRelayCommand *>(command), 0});
    command->setGroup(this);
    Q_EMIT commandsChanged();
    // Its binding starts reading the running set; the other members' answers follow its run.
    command->notifyCanExecuteChanged();
    updateRunning();
    return true;
}

bool CommandGroup::unregisterCommand(Command *command)
{
    if (!command || command->group() != this) {
        qCWarning(lcCommandKit, "CommandGroup::unregisterCommand: %s is not a member; nothing changed",
                  command ? qPrintable(command->objectName()) : "a null command");
        return false;
    }
    release(command);
    command->setGroup(nullptr);
    Q_EMIT commandsChanged();
    command->notifyCanExecuteChanged();
    updateRunning();
    return true;
}

QList<Command *> CommandGroup::commands() const
{
    QList<Command *> result;
    result.reserve(m_members.size());
    for (const Member &member : m_members)
        result.append(member.command);
    return result;
}

bool CommandGroup::excludes(const Command *command) const
{
    const QList<const Command *> running = m_running.value();
    return std::any_of(running.begin(), running.end(), [command](const Command *c) { return c != command; });
}

void CommandGroup::enter(Command *command)
{
    const qsizetype index = indexOf(command);
    if (index < 0)
        return;
    ++m_members[index].inExecute;
    updateRunning();
}

void CommandGroup::leave(Command *command)
{
    // Only compares the pointer: the command may have been destroyed by its own delegate.
    const qsizetype index = indexOf(command);
    if (index < 0 || m_members[index].inExecute == 0)
        return;
    --m_members[index].inExecute;
    updateRunning();
}

void CommandGroup::drop(Command *command)
{
    // From ~Command: the derived parts are gone, so nothing of the command is called.
    release(command);
    Q_EMIT commandsChanged();
    updateRunning();
}

void CommandGroup::release(Command *command)
{
    const qsizetype index = indexOf(command);
    if (index >= 0)
        m_members.removeAt(index);
}

void CommandGroup::updateRunning()
{
    // The running set re-evaluates; it notifies (the members' bindings, isRunning) only a real change.
    m_revision = m_revision.value() + 1;
}

qsizetype CommandGroup::indexOf(const Command *command) const
{
    const auto it = std::find_if(m_members.begin(), m_members.end(),
                                 [command](const Member &member) { return member.command == command; });
    return it == m_members.end() ? -1 : qsizetype(it - m_members.begin());
}

} // namespace CommandKit
