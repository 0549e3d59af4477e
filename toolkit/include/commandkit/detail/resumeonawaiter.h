// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <coroutine>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/cancelablewait.h"

namespace CommandKit::detail {

/*! \internal resumeOn(object). */
class COMMANDKIT_EXPORT ResumeOnAwaiter : public CancelableWait
{
public:
    explicit ResumeOnAwaiter(QObject *target)
        : m_target(target)
    {}
    bool await_ready();
    bool await_suspend(std::coroutine_handle<> handle);
    void await_resume() const;

private:
    QPointer<QObject> m_target;
    bool m_targetGone = false;
};

} // namespace CommandKit::detail
