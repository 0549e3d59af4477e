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
#include "commandkit/interop.h"

namespace CommandKit::detail {

/*!
    \internal
    What a delegate may return (C5), the state type its run gets, and how the run's operation is made
    from it: an AsyncOperation is the run; a QFuture or a QCoro::Task is awaited by a small adapter
    coroutine that adopts the prepared state.
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
    static AsyncOperation<R> adapt(QFuture<R> future) { return fromFuture(std::move(future)); }
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
    Sets the prepared state for the delegate's coroutine and clears it, used or not; on the way out
    stores in \a frameSize the size of the frame the coroutine asked for (0 if none matched).
*/
struct PreparedStateScope
{
    PreparedStateScope(const StatePtr &state, const void *tag, std::size_t &frameSize)
        : m_frameSize(frameSize)
    {
        setPreparedState(state.get(), tag);
    }
    ~PreparedStateScope() { m_frameSize = clearPreparedState(); }
    PreparedStateScope(const PreparedStateScope &) = delete;
    PreparedStateScope &operator=(const PreparedStateScope &) = delete;
    std::size_t &m_frameSize;
};

/*!
    \internal
    The delegate returned an operation other than the prepared one (it is not a coroutine, and built
    its operation some other way): the prepared state, which the command observes, ends as \a from
    ends, and its cancel() reaches \a from.
*/
template <typename State>
void mirror(const StatePtr &from, const StatePtr &to)
{
    if (!from) {
        to->finish(std::make_exception_ptr(AsyncError(
            AsyncError::IllegalMethodCall, "the command's delegate returned an empty AsyncOperation")));
        return;
    }
    // Strong: the cycle ends when "to" finishes (dropping the callback), which "from"'s end brings about.
    to->setCancelCallback([from] { from->cancel(); });
    // Runs inside "from"'s finish(), which holds "from": a raw pointer, or "from" would hold itself.
    auto end = [source = from.get(), to] {
        if (source->status() == AsyncStatus::Completed) {
            if constexpr (requires(State & s) { s.result(); })
                static_cast<State &>(*to).setResult(static_cast<State &>(*source).result());
            to->finish(nullptr);
        } else {
            to->finish(source->errorCode());
        }
    };
    auto *node = new OwnedContinuation<decltype(end)>(std::move(end));
    if (!from->addContinuation(node))
        node->resume();
}

} // namespace CommandKit::detail

namespace CommandKit {

template <detail::Callable Execute>
AsyncRelayCommand::AsyncRelayCommand(Execute &&execute, QObject *parent)
    : AsyncRelayCommand(std::forward<Execute>(execute), detail::NoPredicate{}, parent)
{}

template <detail::Callable Execute, detail::Predicate CanExecute>
AsyncRelayCommand::AsyncRelayCommand(Execute &&execute, CanExecute &&canExecute, QObject *parent)
    : Command(parent)
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

    Starter start = [f = F(std::forward<Execute>(execute))](const detail::StatePtr &state,
                                                            const QVariant &parameter) mutable {
        const auto call = [&] {
            if constexpr (Shape::takesParameter && Shape::takesToken)
                return f(*detail::fromParameter<T>(parameter), state->stopToken());
            else if constexpr (Shape::takesParameter)
                return f(*detail::fromParameter<T>(parameter));
            else if constexpr (Shape::takesToken)
                return f(state->stopToken());
            else
                return f();
        };
        std::size_t frameSize = 0;
        if constexpr (requires { Traits::adapt; }) {
            // Called before the scope opens, so coroutines inside the delegate can't adopt the state.
            Result source = call();
            detail::PreparedStateScope scope(state, State::typeTag(), frameSize);
            (void)Traits::adapt(std::move(source));
        } else {
            detail::PreparedStateScope scope(state, State::typeTag(), frameSize);
            const Result op = call();
            const auto &returned = detail::StateAccess::state(op);
            if (returned != state)
                detail::mirror<State>(returned, state);
        }
        return frameSize;
    };
    setUp([](std::size_t room) { return detail::FrameBlock<State>::makeWithRoom(room); }, std::move(start),
          Traits::stoppable || Shape::takesToken);
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
