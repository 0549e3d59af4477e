// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QVariant>

#include <functional>
#include <optional>
#include <type_traits>

#include "commandkit/detail/asyncstate.h"
#include "commandkit/detail/contextref.h"

namespace CommandKit::detail {

/*!
    \internal
    The QVariant view of a run's \c AsyncOperation<R, P>, for the command and its ExecutionTask (C6,
    C17): the core knows nothing of QVariant. One table per operation type.
*/
template <typename R, typename P>
struct VariantView
{
    using State = AsyncState<R, P>;

    /*! \c P{} as a QVariant; empty without progress or for a P that is not default-constructible (C6). */
    static QVariant initialProgress()
    {
        if constexpr (!std::is_void_v<P> && std::is_default_constructible_v<P>)
            return QVariant::fromValue(P{});
        return {};
    }
    /*! The result of a Completed, open operation as a QVariant; empty otherwise and for void. */
    static QVariant result(const AsyncStateBase &base)
    {
        if constexpr (!std::is_void_v<R>) {
            const auto &state = static_cast<const State &>(base);
            if (state.status() != AsyncStatus::Completed || state.isClosed() || !state.hasResult())
                return {};
            if constexpr (std::is_same_v<R, QVariant>)
                return state.result();
            else
                return QVariant::fromValue(state.result());
        }
        return {};
    }
    /*!
        Sends every report to \a observer on \a context (latest value wins, A7); returns the latest
        report made before, or an empty QVariant.
    */
    static QVariant observe(AsyncStateBase &base, ContextRef context,
                            std::function<void(const QVariant &)> observer)
    {
        if constexpr (!std::is_void_v<P>) {
            auto &state = static_cast<ProgressState<P> &>(base);
            typename ProgressState<P>::Handler handler;
            if (observer) {
                handler = [observer = std::move(observer)](ProgressState<P> &, const P &value) {
                    observer(QVariant::fromValue(value));
                };
            }
            if (const std::optional<P> latest = state.setObserver(std::move(context), std::move(handler)))
                return QVariant::fromValue(*latest);
        }
        return {};
    }
    /*! Calls \a tap on the reporting thread for every report (C20); empty removes it. */
    static void tap(AsyncStateBase &base, std::function<void(const QVariant &)> tap)
    {
        if constexpr (!std::is_void_v<P>) {
            std::function<void(const P &)> typed;
            if (tap)
                typed = [tap = std::move(tap)](const P &value) { tap(QVariant::fromValue(value)); };
            static_cast<ProgressState<P> &>(base).setTap(std::move(typed));
        }
    }
};

} // namespace CommandKit::detail
