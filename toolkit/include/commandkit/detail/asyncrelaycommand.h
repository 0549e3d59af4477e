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
/*!
    \internal
    The owner the adapter coroutines below are called on (their first argument): the prepared state
    is offered to the adapter only (C5).
*/
struct AdapterOwner
{};

template <typename R>
struct AsyncResultTraits<QFuture<R>> : std::true_type
{
    using State = AsyncState<R, void>;
    static constexpr bool stoppable = true; // QFuture::cancel()
    static AsyncOperation<R> adapt(const AdapterOwner &, QFuture<R> future)
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
    static AsyncOperation<R> adapt(const AdapterOwner &, QCoro::Task<R> task)
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
    What the delegate's coroutine is called on: the delegate itself (a lambda or functor that is a
    coroutine), or for a member function bound to its object that object (C16).
*/
template <typename F>
decltype(auto) coroutineOwnerOf(const F &f)
{
    if constexpr (requires { f.coroutineOwner(); })
        return f.coroutineOwner();
    else
        return f;
}

/*!
    \internal
    Offers the prepared state to the coroutine called on \a owner while the delegate runs, and clears
    the offer, used or not; on the way out (also when the delegate throws) stores what became of it.
*/
template <typename Launched>
struct PreparedStateScope
{
    template <typename Owner>
    PreparedStateScope(const StatePtr &state, const void *tag, const Owner &owner, Launched &launched)
        : m_launched(launched)
    {
        setPreparedState(state.get(), tag, std::addressof(owner), ownerTypeTag<std::remove_cvref_t<Owner>>());
    }
    ~PreparedStateScope()
    {
        const PreparedOutcome outcome = clearPreparedState();
        m_launched.frameSize = outcome.frameSize;
        m_launched.taken = outcome.taken;
    }
    PreparedStateScope(const PreparedStateScope &) = delete;
    PreparedStateScope &operator=(const PreparedStateScope &) = delete;
    Launched &m_launched;
};

/*!
    \internal
    The delegate returned an operation other than the prepared one (it is not a coroutine, and built
    its operation some other way): the prepared state, which the command observes, reports \a from's
    progress, ends as \a from ends, and its cancel() reaches \a from. \a from is not empty.
*/
template <typename State>
void mirror(const StatePtr &from, const StatePtr &to)
{
    // Strong: the cycle ends when "to" finishes (dropping the callback), which "from"'s end brings about.
    to->setCancelCallback([from] { from->cancel(); });
    if constexpr (requires(State & s) { s.forwardTo(to); })
        static_cast<State &>(*from).forwardTo(to);
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
                                                            const QVariant &parameter,
                                                            Launched &launched) mutable -> detail::StatePtr {
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
        if constexpr (requires { Traits::adapt; }) {
            // Called before the offer, so coroutines inside the delegate can't adopt the state.
            Result source = call();
            const detail::AdapterOwner owner;
            detail::PreparedStateScope scope(state, State::typeTag(), owner, launched);
            return detail::StateAccess::state(Traits::adapt(owner, std::move(source)));
        } else {
            // Offered to the coroutine called on f: the delegate itself when it is a coroutine (C5), or
            // the object of a member function (C16).
            detail::PreparedStateScope scope(state, State::typeTag(), detail::coroutineOwnerOf(f), launched);
            return detail::StateAccess::state(call());
        }
    };
    static constexpr StateOps ops{
        [](std::size_t room) { return detail::FrameBlock<State>::makeWithRoom(room); },
        &detail::mirror<State>};
    setUp(&ops, std::move(start), Traits::stoppable || Shape::takesToken);
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
