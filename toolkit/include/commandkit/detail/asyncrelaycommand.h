// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <type_traits>

#include "commandkit/detail/callable.h"
#include "commandkit/detail/parameter.h"
#include "commandkit/detail/runprobe.h"
#include "commandkit/detail/stateops.h"
#include "commandkit/interop.h"

namespace CommandKit::detail {

/*!
    \internal
    What a delegate may return (C5) and the operation type its run is: an AsyncOperation is the run
    itself; a QFuture or a QCoro::Task is awaited by a small adapter coroutine, whose operation is the run.
*/
template <typename T>
struct AsyncResultTraits : std::false_type
{};
template <typename R, typename P>
struct AsyncResultTraits<AsyncOperation<R, P>> : std::true_type
{
    using State = AsyncState<R, P>;
    static constexpr bool stoppable = true;
};
template <typename R>
struct AsyncResultTraits<QFuture<R>> : std::true_type
{
    using State = AsyncState<R, void>;
    static constexpr bool stoppable = true; // QFuture::cancel()
    static AsyncOperation<R> adapt(QFuture<R> future)
    {
        if constexpr (std::is_void_v<R>)
            co_await std::move(future);
        else
            co_return co_await std::move(future);
    }
};
template <typename R>
struct AsyncResultTraits<QCoro::Task<R>> : std::true_type
{
    using State = AsyncState<R, void>;
    static constexpr bool stoppable = false; // QCoro cannot cancel a task; only a stop_token can stop it
    static AsyncOperation<R> adapt(QCoro::Task<R> task)
    {
        if constexpr (std::is_void_v<R>)
            co_await std::move(task);
        else
            co_return co_await std::move(task);
    }
};

/*! \internal The result and progress types of a state type. */
template <typename State>
struct OperationTypes;
template <typename R, typename P>
struct OperationTypes<AsyncState<R, P>>
{
    using Result = R;
    using Progress = P;
};

/*! \internal What an AsyncRelayCommand delegate takes: nothing, T, std::stop_token, or T and a token. */
template <typename F, std::size_t Arity = CallableTraits<F>::arity>
struct AsyncDelegateShape
{
    static constexpr bool takesToken = std::is_same_v<ArgOf<F, Arity - 1>, std::stop_token>;
    static constexpr bool takesParameter = Arity - (takesToken ? 1 : 0) == 1;
    using Parameter = std::conditional_t<takesParameter, ArgOf<F, 0>, void>;
    static_assert(Arity <= 2 && (Arity < 2 || (takesToken && takesParameter)),
                  "An AsyncRelayCommand delegate takes (), (T), (std::stop_token) or (T, std::stop_token)");
};
template <typename F>
struct AsyncDelegateShape<F, 0>
{
    static constexpr bool takesToken = false;
    static constexpr bool takesParameter = false;
    using Parameter = void;
};

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
    using State = typename Traits::State;

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
        using P = typename detail::OperationTypes<State>::Progress;
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
    using View = detail::VariantView<typename detail::OperationTypes<State>::Result,
                                     typename detail::OperationTypes<State>::Progress>;
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
