// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QVariant>

#include <memory>

#include "commandkit/asyncoperation.h"
#include "commandkit/asyncrelaycommand.h"
#include "commandkit/command.h"
#include "commandkit/commandkit_export.h"

namespace CommandKit {

/*!
    \brief A command that runs several commands as one (design.md C24): "Save all", "Refresh all".

    \code
    m_saveAll = new CommandKit::CompositeCommand(this);
    m_saveAll->registerCommand(m_document->save());   // AsyncRelayCommand
    m_saveAll->registerCommand(m_settings->save());   // AsyncRelayCommand
    m_saveAll->registerCommand(m_layout->store());    // RelayCommand
    \endcode

    It is an \c AsyncRelayCommand whose run is the runs of its children, so it has everything a view
    expects from one: \c isRunning, \c executionTask, \c canBeCanceled, \c cancel(), \c cancelCommand(),
    \c lastError, \c concurrency (Reject unless set), \c timeout and \c executeAsync(), with the state
    sequence of \c docs/commands.md.

    - \c canExecute is true when the composite has at least one child and every child can execute
      (and its own concurrency mode allows it); it follows the children's \c canExecute and asks again
      whenever a child emits \c canExecuteChanged. \c canExecuteWith(parameter) asks every child with
      \a parameter, so a parameter that one child cannot convert makes it false and \c execute() then
      runs nothing, silently: the composite itself takes any QVariant and reports no wrong type (C4).
    - A run executes every child, in the order they were registered, with the same parameter, which
      each typed child converts as it always does (C4). An \c AsyncRelayCommand child is started with
      \c executeAsync(), any other command with \c execute() (a \c RelayCommand runs to its end there).
    - The run ends once every child's run has ended, their bodies unwound (A5, A21): \c isRunning stays
      true until the last child is over, however early the others finish.
    - \c cancel() (or the run's \c ExecutionTask::cancel(), \c timeout, deleting the composite) cancels
      every child's run.
    - The run ends Error when a child's run failed: its error message lists every failed child, one
      line each, "<child's objectName or class name>: <its message>", in registration order, and is
      what \c lastError, \c errorOccurred and \c executionTask.errorString show (a \c std::runtime_error
      for \c executeAsync()). Each child still reports its own error through its own chain (C9).
      Otherwise the run ends Canceled when a child's run was canceled (or refused to start, or its
      command was destroyed mid-run), and Completed when every child completed. A failing child never
      cancels the others: they all run to their end.
    - A child is not owned. A child destroyed while registered leaves the composite (\c commandsChanged);
      if it was running, its run counts as canceled. Unregistering a child during a run leaves that run
      part of the composite's run.

    \note Lives on its QObject thread, like its children: register, execute and read there (C12).
    \c cancel() may be called from any thread.
*/
class COMMANDKIT_EXPORT CompositeCommand : public CommandKit::AsyncRelayCommand
{
    Q_OBJECT
    Q_PROPERTY(QList<CommandKit::Command *> commands READ commands NOTIFY commandsChanged FINAL)

public:
    /*! \brief A composite without children (it cannot execute yet), a child of \a parent. */
    explicit CompositeCommand(QObject *parent = nullptr);
    /*! \brief Cancels the composite's runs, and with them its children's (C13, C24); the children stay. */
    ~CompositeCommand() override;

    /*!
        \brief Adds \a command as the last child (C24); returns whether it was added.

        \a command may be any command: a \c RelayCommand, an \c AsyncRelayCommand, another composite.
        Refused with a \c qWarning and no change: a null command, one already registered, the
        composite itself or a composite that contains it (a cycle), a command on another thread.
        \c canExecute follows at once; emits \c commandsChanged. Call it on the composite's thread;
        never throws.
    */
    Q_INVOKABLE bool registerCommand(CommandKit::Command *command);
    /*!
        \brief Removes the child \a command (C24); returns whether it was a child.

        A run of it that is going on stays part of the composite's run. A null or unknown \a command
        is refused with a \c qWarning. Emits \c commandsChanged. Call it on the composite's thread;
        never throws.
    */
    Q_INVOKABLE bool unregisterCommand(CommandKit::Command *command);

    /*!
        \brief The children, in registration order (what a view lists, \c {Repeater { model:
        saveAll.commands }}). Read it on the composite's thread.
    */
    [[nodiscard]] QList<CommandKit::Command *> commands() const;

Q_SIGNALS:
    /*! \brief A child was registered, unregistered or destroyed; emitted on the composite's thread. */
    void commandsChanged();

private:
    struct Children;
    explicit CompositeCommand(std::shared_ptr<Children> children, QObject *parent);
    AsyncAction runChildren(const QVariant &parameter);
    void childRequery();
    void childDestroyed();
    [[nodiscard]] bool contains(const Command *command) const;

    // Made before the base class, whose canExecute binding reads it from its constructor on.
    std::shared_ptr<Children> m_children;
};

} // namespace CommandKit
