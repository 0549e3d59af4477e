// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <type_traits>

#include "commandkit/detail/asyncdelegateshape.h"
#include "commandkit/detail/asyncresulttraits.h"
#include "commandkit/detail/boundmember.h"
#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/nopredicate.h"
#include "commandkit/detail/parametertype.h"
#include "commandkit/detail/runprobe.h"
#include "commandkit/detail/stateops.h"
#include "commandkit/detail/variantview.h"
#include "commandkit/interop.h"

namespace CommandKit {

template <detail::Callable Execute>
AsyncRelayCommand::AsyncRelayCommand(Execute &&execute, QObject *parent)
    : AsyncRelayCommand(std::forward<Execute>(execute), detail::NoPredicate{}, parent)
{}

template <detail::Callable Execute, detail::Predicate CanExecute>
AsyncRelayCommand::AsyncRelayCommand(Execute &&execute, CanExecute &&canExecute, QObject *parent)
    : AsyncRelayCommand(parent)
{
    using F = std::decay_t<Execute>;
    using Shape = detail::AsyncDelegateShape<F>;
    using T = typename Shape::Parameter;
    using Result = typename detail::CallableTraits<F>::Result;
    using Traits = detail::AsyncResultTraits<Result>;
    static_assert(
        Traits::value,
        "An AsyncRelayCommand delegate returns an AsyncOperation<R, P>, a QFuture<R> or a QCoro::Task<R>");

    // The run is the operation the delegate returned, whatever else it started first (C5). While a
    // recorder watches, every operation the delegate makes is probed until the run is known (C20).
    detail::Starter start = [f = F(std::forward<Execute>(execute))](
                                const QVariant &parameter, std::stop_token token,
                                const detail::ProgressSink &tap, bool &tapped) mutable -> detail::StatePtr {
        const auto call = [&] {
            if constexpr (Shape::takesParameter && Shape::takesToken)
                return f(*detail::fromParameter<T>(parameter), std::move(token));
            else if constexpr (Shape::takesParameter)
                return f(*detail::fromParameter<T>(parameter));
            else if constexpr (Shape::takesToken)
                return f(std::move(token));
            else
                return f();
        };
        using P = typename Traits::Progress;
        if constexpr (requires { Traits::adapt; }) {
            return detail::StateAccess::state(Traits::adapt(call()));
        } else if constexpr (std::is_void_v<P>) {
            return detail::StateAccess::state(call());
        } else {
            detail::RunProbe<P> probe(tap);
            detail::StatePtr run = detail::StateAccess::state(call());
            tapped = probe.finish(run);
            return run;
        }
    };
    using View = detail::VariantView<typename Traits::Result, typename Traits::Progress>;
    static constexpr detail::StateOps ops{&View::initialProgress, &View::result, &View::observe, &View::tap};
    setUp(&ops, std::move(start), Traits::stoppable, Shape::takesToken);
    initialize(detail::parameterType<T>(), detail::makePredicate<T>(std::forward<CanExecute>(canExecute)));
}

template <typename Object, detail::MemberFunctionOf<Object> Execute>
AsyncRelayCommand::AsyncRelayCommand(Object *object, Execute execute)
    : AsyncRelayCommand(detail::BoundMember<Object, Execute>(object, execute), detail::NoPredicate{}, object)
{}

template <typename Object, detail::MemberFunctionOf<Object> Execute, typename CanExecute>
AsyncRelayCommand::AsyncRelayCommand(Object *object, Execute execute, CanExecute &&canExecute)
    : AsyncRelayCommand(detail::BoundMember<Object, Execute>(object, execute),
                        detail::bindToObject(object, std::forward<CanExecute>(canExecute)), object)
{}

template <typename Callback>
void AsyncRelayCommand::onResult(Callback &&callback)
{
    using F = std::decay_t<Callback>;
    if constexpr (std::is_same_v<F, std::nullptr_t>) {
        setResultCallback(nullptr);
    } else {
        using Traits = detail::CallableTraits<F>;
        static_assert(Traits::arity <= 1, "An onResult() callback takes nothing or the run's result");
        if constexpr (requires(const F &f) { static_cast<bool>(f); }) {
            // An empty std::function removes the callback.
            if (!static_cast<bool>(callback)) {
                setResultCallback(nullptr);
                return;
            }
        }
        if constexpr (Traits::arity == 0) {
            setResultCallback([f = F(std::forward<Callback>(callback))](const QVariant &) mutable { f(); });
        } else {
            using T = detail::ArgOf<F, 0>;
            setResultCallback([f = F(std::forward<Callback>(callback))](const QVariant &result) mutable {
                std::optional<T> value;
                if (result.isValid() || std::is_same_v<T, QVariant>)
                    value = detail::fromParameter<T>(result);
                if (!value) {
                    const char *expected = QMetaType::fromType<T>().name();
                    const char *received = result.isValid() ? result.metaType().name() : "no result (void)";
                    throw std::invalid_argument(std::string("onResult(): the callback takes ") +
                                                (expected ? expected : "?") + ", the run's result is " +
                                                (received ? received : "?"));
                }
                f(std::move(*value));
            });
        }
    }
}

} // namespace CommandKit
