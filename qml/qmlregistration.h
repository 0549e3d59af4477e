// SPDX-License-Identifier: MIT
#pragma once

#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/asyncstatus.h>
#include <commandkit/command.h>
#include <commandkit/commandgroup.h>
#include <commandkit/compositecommand.h>
#include <commandkit/executiontask.h>
#include <commandkit/relaycommand.h>

/*!
    \brief Registration of the toolkit's types in the QML module \c CommandKit (design.md Q1).

    The toolkit stays free of QtQml: its types are registered here with \c QML_FOREIGN. Commands and
    tasks are created by C++ viewmodels, so every type is uncreatable from QML. The enums of the
    \c CommandKit namespace are reachable as \c AsyncStatus.Completed and \c ConcurrencyMode.Parallel.
*/
namespace CommandKit::Qml {

struct CommandForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::Command)
    QML_NAMED_ELEMENT(Command)
    QML_UNCREATABLE("Command is abstract; viewmodels create RelayCommand and AsyncRelayCommand in C++")
};

struct RelayCommandForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::RelayCommand)
    QML_NAMED_ELEMENT(RelayCommand)
    QML_UNCREATABLE("RelayCommand is created by a C++ viewmodel from a callable")
};

struct AsyncRelayCommandForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::AsyncRelayCommand)
    QML_NAMED_ELEMENT(AsyncRelayCommand)
    QML_UNCREATABLE("AsyncRelayCommand is created by a C++ viewmodel from a callable")
};

struct CompositeCommandForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::CompositeCommand)
    QML_NAMED_ELEMENT(CompositeCommand)
    QML_UNCREATABLE("CompositeCommand is created by a C++ viewmodel, which registers its children")
};

struct CommandGroupForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::CommandGroup)
    QML_NAMED_ELEMENT(CommandGroup)
    QML_UNCREATABLE("CommandGroup is created by a C++ viewmodel, which registers its members")
};

struct ExecutionTaskForeign
{
    Q_GADGET
    QML_FOREIGN(CommandKit::ExecutionTask)
    QML_NAMED_ELEMENT(ExecutionTask)
    QML_UNCREATABLE("ExecutionTask is created by AsyncRelayCommand for each run")
};

// Each class gives the namespace's enums a QML name: QML_FOREIGN_NAMESPACE generates code that does
// not compile with Qt 6.4's qmltyperegistrar, and a gadget's QML name must be lowercase. An
// uncreatable object type extended by the namespace carries the same enums under an uppercase name.
class AsyncStatusForeign : public QObject
{
    Q_OBJECT
    QML_EXTENDED_NAMESPACE(CommandKit)
    QML_NAMED_ELEMENT(AsyncStatus)
    QML_UNCREATABLE("AsyncStatus is an enumeration")
};

class ConcurrencyModeForeign : public QObject
{
    Q_OBJECT
    QML_EXTENDED_NAMESPACE(CommandKit)
    QML_NAMED_ELEMENT(ConcurrencyMode)
    QML_UNCREATABLE("ConcurrencyMode is an enumeration")
};

} // namespace CommandKit::Qml
