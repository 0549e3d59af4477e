// SPDX-License-Identifier: MIT
#include "commandkit/errors.h"

#include <mutex>

namespace CommandKit {

Q_LOGGING_CATEGORY(lcCommandKit, "commandkit")

AsyncError::AsyncError(Code code, const std::string &message)
    : std::logic_error(message)
    , m_code(code)
{}

OperationCanceled::OperationCanceled(std::string message)
    : m_message(std::move(message))
{}

const char *OperationCanceled::what() const noexcept
{
    return m_message.c_str();
}

namespace {

// The handler is swapped rarely and called rarely; a mutex keeps the std::function copy safe.
std::mutex &handlerMutex()
{
    static std::mutex mutex;
    return mutex;
}

UnhandledErrorHandler &handlerSlot()
{
    static UnhandledErrorHandler handler;
    return handler;
}

void defaultHandler(std::exception_ptr error, const QString &where)
{
    qCCritical(lcCommandKit).noquote() << "Unhandled error in" << where << ":" << errorMessage(error);
}

} // namespace

UnhandledErrorHandler setUnhandledErrorHandler(UnhandledErrorHandler handler)
{
    std::lock_guard lock(handlerMutex());
    return std::exchange(handlerSlot(), std::move(handler));
}

void reportUnhandledError(std::exception_ptr error, const QString &where) noexcept
{
    try {
        UnhandledErrorHandler handler;
        {
            std::lock_guard lock(handlerMutex());
            handler = handlerSlot();
        }
        if (handler)
            handler(error, where);
        else
            defaultHandler(error, where);
    } catch (...) {
        qCCritical(lcCommandKit).noquote() << "The unhandled-error handler threw while handling an error in"
                                           << where << "; both are dropped";
    }
}

QString errorMessage(const std::exception_ptr &error)
{
    if (!error)
        return {};
    try {
        std::rethrow_exception(error);
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown exception (not derived from std::exception)");
    }
}

bool isCancellation(const std::exception_ptr &error) noexcept
{
    if (!error)
        return false;
    try {
        std::rethrow_exception(error);
    } catch (const OperationCanceled &) {
        return true;
    } catch (...) {
        return false;
    }
}

} // namespace CommandKit
