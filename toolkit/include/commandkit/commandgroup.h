// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QProperty>

#include "commandkit/command.h"
#include "commandkit/commandkit_export.h"

namespace CommandKit {

class AsyncRelayCommand;

/*!
    \brief Commands that exclude each other (design.md C25): while one member runs, the others cannot
    execute, and one \c isRunning serves a single busy indicator for all of them.

    \code
    m_busy = new CommandKit::CommandGroup(this);
    m_busy->registerCommand(m_import);   // AsyncRelayCommand
    m_busy->registerCommand(m_export);   // AsyncRelayCommand
    m_busy->registerCommand(m_clear);    // RelayCommand
    \endcode
    \code
    BusyIndicator { running: vm.busy.isRunning }
    \endcode

    A member runs while its \c AsyncRelayCommand::isRunning is true, and during its \c execute() call
    (for a \c RelayCommand that is all its running: the group turns \c isRunning true and back before
    \c execute() returns). While a member runs, every other member's \c canExecute and
    \c canExecuteWith() answer false and its \c execute() and \c executeAsync() start nothing, as in
    Reject mode (C8): \c executeAsync() returns an operation that has already ended Canceled. The
    running member itself follows its own concurrency mode: in Parallel, Restart or Queue mode it may
    be executed again. The exclusion is part of each member's \c canExecute binding (C3), so buttons
    bound to members disable and enable themselves; each member emits \c canExecuteChanged when its
    answer changes.

    A command belongs to at most one group: \c registerCommand() refuses a command that is already in
    another group, with a \c qWarning (unregister it there first). A member that is destroyed leaves
    the group; a group that is destroyed releases its members. The group does not own its members.
    \note Lives on its QObject thread, with its members: call every member function there (C12).
*/
class COMMANDKIT_EXPORT CommandGroup : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool isRunning READ isRunning NOTIFY isRunningChanged BINDABLE bindableIsRunning FINAL)
    Q_PROPERTY(QList<CommandKit::Command *> commands READ commands NOTIFY commandsChanged FINAL)

public:
    /*! \brief An empty group, a child of \a parent. Create it on its members' thread. */
    explicit CommandGroup(QObject *parent = nullptr);
    /*!
        \brief Releases the members (C25): from then on they execute as if they had never joined; each
        re-queries its \c canExecute (\c canExecuteChanged).
    */
    ~CommandGroup() override;

    /*!
        \brief Adds \a command to the group (C25); returns whether it was added.

        Refused, with a \c qWarning and no change, when \a command is null, already a member, a member
        of another group, or lives on another thread. If another member runs, \a command cannot execute
        from now on until that run ends; if \a command runs, the other members cannot. Emits
        \c commandsChanged, then the members' \c canExecuteChanged where the answer changed.
        Call it on the group's thread; never throws.
    */
    Q_INVOKABLE bool registerCommand(CommandKit::Command *command);
    /*!
        \brief Removes \a command from the group (C25); returns whether it was a member.

        \a command executes on its own terms again at once; the other members are no longer blocked
        by its run. A null or unknown \a command is refused with a \c qWarning. Emits
        \c commandsChanged. Call it on the group's thread; never throws.
    */
    Q_INVOKABLE bool unregisterCommand(CommandKit::Command *command);

    /*! \brief The members, in the order they were registered. Read it on the group's thread. */
    [[nodiscard]] QList<CommandKit::Command *> commands() const;

    /*!
        \brief Whether a member runs (C25): one of them is inside \c execute(), or an
        \c AsyncRelayCommand member's \c isRunning is true. What one spinner for the whole group
        binds to. Read it on the group's thread.
    */
    [[nodiscard]] bool isRunning() const { return m_isRunning.value(); }
    /*! \brief The bindable of \c isRunning, for C++ property bindings on the group's thread. Read only. */
    [[nodiscard]] QBindable<bool> bindableIsRunning() { return &m_isRunning; }

    /*! \brief The group \a command belongs to, or null (C25). On the command's thread. */
    [[nodiscard]] static CommandGroup *groupOf(const Command *command);

Q_SIGNALS:
    /*!
        \brief \c isRunning changed; emitted on the group's thread as soon as a member's running state
        changes: for an \c AsyncRelayCommand member when its \c isRunning value is set, which is
        before the member's own signals go out (C14), so a handler of those sees the group's final
        state.
    */
    void isRunningChanged();
    /*! \brief A member joined or left (also by being destroyed); emitted on the group's thread. */
    void commandsChanged();

private:
    // Called by Command (the hook of C25).
    friend class Command;
    struct Member
    {
        Command *command;
        // Null for a command that is not an AsyncRelayCommand: it runs only inside execute().
        AsyncRelayCommand *async;
        int inExecute; // nesting depth of the member's execute() calls
    };
    /*! Whether \a command must not run because another member runs; reads the bindable running set. */
    [[nodiscard]] bool excludes(const Command *command) const;
    void enter(Command *command);
    void leave(Command *command);
    /*! \a command is being destroyed: forget it without touching it. */
    void drop(Command *command);
    void release(Command *command);
    void updateRunning();
    qsizetype indexOf(const Command *command) const;

    QList<Member> m_members;
    // Bumped when m_members changes: the running set's binding reads it.
    QProperty<quint64> m_revision;
    // The members that run now, a binding over m_revision and the members' bindable isRunning: what
    // every member's canExecute binding reads. A binding rather than slots on isRunningChanged: a
    // member's value changes before its signals go out (C14), and whoever reads the others' canExecute
    // from a handler of those signals (QML handlers run before C++ slots) already sees the exclusion.
    QProperty<QList<const Command *>> m_running;
    Q_OBJECT_BINDABLE_PROPERTY(CommandGroup, bool, m_isRunning, &CommandGroup::isRunningChanged)
};

} // namespace CommandKit
