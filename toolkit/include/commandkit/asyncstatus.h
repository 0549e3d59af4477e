// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qobjectdefs.h>

#include "commandkit/commandkit_export.h"

/*!
    \namespace CommandKit
    \brief MVVM commands and Windows-Runtime-style asynchronous operations for Qt 6.

    Both enums of the library live in this one header because moc allows a single
    \c Q_NAMESPACE (one static meta-object) per namespace.
*/
namespace CommandKit {
Q_NAMESPACE_EXPORT(COMMANDKIT_EXPORT)

/*!
    \brief The state of an asynchronous operation (design.md A3).

    An operation starts in \c Started and leaves it exactly once: to \c Completed when its body
    returns, to \c Error when its body throws, to \c Canceled when \c cancel() is called or the body
    throws \c OperationCanceled. \c Canceled may still become \c Error if the body then throws
    something other than a cancellation. Names and order follow the Windows Runtime's \c AsyncStatus.
*/
enum class AsyncStatus {
    Started,   //!< The body has not ended and nobody has canceled it.
    Completed, //!< The body returned; \c getResults() gives the result.
    Canceled,  //!< Cancellation was requested (the body may still be unwinding, see \c isRunning()).
    Error,     //!< The body threw; \c errorCode() holds the exception.
};
Q_ENUM_NS(AsyncStatus)

/*!
    \brief What an \c AsyncRelayCommand does when it is executed while a run is in progress (C8).
*/
enum class ConcurrencyMode {
    Reject,   //!< \c canExecute is false while running; \c execute() starts nothing (the default).
    Parallel, //!< Runs overlap; \c isRunning is true while any runs; \c executionTask is the latest.
    Restart,  //!< A new run cancels the running one(s) first, then starts at once.
    Queue,    //!< Runs happen one after another in call order.
};
Q_ENUM_NS(ConcurrencyMode)

} // namespace CommandKit
