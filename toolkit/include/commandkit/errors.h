// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>
#include <QtCore/QString>

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

#include "commandkit/commandkit_export.h"

namespace CommandKit {

/*! \brief The logging category of CommandKit, named \c commandkit. */
COMMANDKIT_EXPORT Q_DECLARE_LOGGING_CATEGORY(lcCommandKit)

    /*!
        \brief A misuse of an asynchronous operation (design.md A20).

        Derives from \c std::logic_error: it reports a bug in the calling code, never a failure of the
        work itself. \c what() names the call and the state it was made in.
    */
    class COMMANDKIT_EXPORT AsyncError : public std::logic_error
{
public:
    /*! \brief Which rule of the contract the call broke. */
    enum Code {
        IllegalMethodCall, //!< The member can't be called in this state (A8, A10), or on an empty handle.
        IllegalDelegateAssignment, //!< \c setCompleted() was called a second time (A6).
        IllegalStateChange,        //!< \c close() was called before the body ended (A10).
        WrongThread,               //!< \c get()/\c waitFor() would block the application's main thread (A11).
    };

    /*!
        \brief Creates an error with \a code and \a message, which should name the call and the state
        (A20); CommandKit throws it, application code rarely needs to.
    */
    AsyncError(Code code, const std::string &message);

    /*! \brief The broken rule, to tell misuses apart without parsing \c what(). */
    [[nodiscard]] Code code() const noexcept { return m_code; }

private:
    Code m_code;
};

/*!
    \brief Thrown by \c getResults() and \c co_await on a canceled operation, and by every \c co_await
    inside a body once cancellation was requested (A8, A14, A20).

    A body may throw it itself to end \c Canceled; catching it lets a body clean up or go on.
*/
class COMMANDKIT_EXPORT OperationCanceled : public std::exception
{
public:
    /*! \brief Creates the exception with the default message "the operation was canceled". */
    OperationCanceled() = default;
    /*! \brief Creates the exception with \a message, which should name the operation. */
    explicit OperationCanceled(std::string message);

    /*! \brief The message; valid as long as the exception object. */
    [[nodiscard]] const char *what() const noexcept override;

private:
    std::string m_message = "the operation was canceled";
};

/*!
    \brief A handler for errors that nobody else handled (C9, A19).

    \a error is the exception (never null); \a where names the object or call it came from.
*/
using UnhandledErrorHandler = std::function<void(std::exception_ptr error, const QString &where)>;

/*!
    \brief Installs the process-wide handler for unhandled errors and returns the previous one.

    Passing an empty function restores the default, which logs with \c qCritical in the category
    \c commandkit. The handler is called on the thread where the error surfaced; it must not throw
    (an exception it throws is logged and dropped).
    \note Thread-safe.
*/
COMMANDKIT_EXPORT UnhandledErrorHandler setUnhandledErrorHandler(UnhandledErrorHandler handler);

/*!
    \brief Passes \a error to the process-wide unhandled-error handler. Never throws.
    \note Thread-safe; the handler runs on the calling thread.
*/
COMMANDKIT_EXPORT void reportUnhandledError(std::exception_ptr error, const QString &where) noexcept;

/*!
    \brief The message of \a error: \c what() of a \c std::exception, a fixed text for anything else,
    an empty string for a null pointer.
*/
COMMANDKIT_EXPORT QString errorMessage(const std::exception_ptr &error);

/*! \brief Whether \a error holds an \c OperationCanceled (or a type derived from it). */
COMMANDKIT_EXPORT bool isCancellation(const std::exception_ptr &error) noexcept;

} // namespace CommandKit
