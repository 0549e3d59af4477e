// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>

#include <functional>
#include <type_traits>

#include "commandkit/command.h"
#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/membersignature.h"

namespace CommandKit {

/*!
    \brief A synchronous command built from a callable (design.md C2).

    The delegate is \c void() or \c void(T); the optional predicate is \c bool() or \c bool(T). \c T is
    deduced from the delegate (a lambda whose call operator is not a template, a function or a
    function pointer) and \c execute(QVariant) converts to it (C4).

    \code
    auto save = new CommandKit::RelayCommand([this] { m_document.save(); },
                                             [this] { return m_document.isModified(); }, this);
    auto open = new CommandKit::RelayCommand([this](const QString &path) { load(path); }, this);
    \endcode

    When the predicate reads bindable properties, \c canExecute follows them (C3). An exception from
    the delegate or the predicate never leaves \c execute() (C9).
    \note Lives on its QObject thread; \c execute() runs the delegate synchronously there.
*/
class COMMANDKIT_EXPORT RelayCommand : public CommandKit::Command
{
    Q_OBJECT

public:
    /*!
        \brief A command that runs \a execute and can always execute.

        \a execute is \c void() or \c void(T) (T decayed; a compile-time error otherwise); \a parent is
        the QObject parent. Create it on the thread it is to live on (see \c Command).
    */
    template <detail::Callable Execute>
    explicit RelayCommand(Execute &&execute, QObject *parent = nullptr);

    /*!
        \brief A command that runs \a execute when \a canExecute says yes.

        \a canExecute is \c bool() or \c bool(T) with the delegate's own \c T (checked at compile time);
        it is evaluated inside a property binding on the command's thread (C3).
    */
    template <detail::Callable Execute, detail::Predicate CanExecute>
    RelayCommand(Execute &&execute, CanExecute &&canExecute, QObject *parent = nullptr);

    /*!
        \brief A command, child of \a object, that runs the member function \a execute of \a object (C16).

        \a execute is a pointer to a member function of \a object's class (or of a base) taking nothing
        or one parameter: \c {new RelayCommand(this, &NotesViewModel::clearNotes)}. \a object must be
        a QObject: it becomes the command's parent, so the command lives on its thread and dies with it.
        Once the object's QObject destructor has begun the member is never called.
    */
    template <typename Object, detail::MemberFunctionOf<Object> Execute>
    RelayCommand(Object *object, Execute execute);

    /*!
        \brief A command, child of \a object, that runs the member function \a execute when
        \a canExecute says yes (C16).

        \a canExecute is a member function of \a object (\c {bool hasNotes() const}) or any predicate
        the other constructors take; it runs inside a property binding (C3). Once the object's QObject
        destructor has begun, a member predicate answers false without being called.
    */
    template <typename Object, detail::MemberFunctionOf<Object> Execute, typename CanExecute>
    RelayCommand(Object *object, Execute execute, CanExecute &&canExecute);

    /*! \brief Destroys the command and its delegate. */
    ~RelayCommand() override;

protected:
    void run(const QVariant &parameter) override;

private:
    std::function<void(const QVariant &)> m_execute;
};

} // namespace CommandKit

#include "commandkit/detail/relaycommand.h"
