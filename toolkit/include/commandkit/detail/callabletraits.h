// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>

#include <QtCore/QObject>

namespace CommandKit::detail {

/*!
    \internal
    The signature of a callable with one call operator: function, function pointer, or a lambda or
    function object whose operator() is not a template (a generic lambda has no single signature to
    deduce a parameter type from).
*/
template <typename F>
struct CallableTraits
{};

template <typename F>
requires requires
{
    &F::operator();
}
struct CallableTraits<F> : CallableTraits<decltype(&F::operator())>
{};

template <typename R, typename... A>
struct CallableTraits<R(A...)>
{
    using Result = R;
    using Args = std::tuple<std::remove_cvref_t<A>...>;
    static constexpr std::size_t arity = sizeof...(A);
};

template <typename R, typename... A>
struct CallableTraits<R (*)(A...)> : CallableTraits<R(A...)>
{};
template <typename R, typename... A>
struct CallableTraits<R (*)(A...) noexcept> : CallableTraits<R(A...)>
{};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...)> : CallableTraits<R(A...)>
{};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) const> : CallableTraits<R(A...)>
{};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) noexcept> : CallableTraits<R(A...)>
{};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) const noexcept> : CallableTraits<R(A...)>
{};

/*!
    \internal
    What a command accepts as a delegate or predicate: a function, function pointer, or an object with
    one non-template call operator. Also keeps the commands' template constructors from competing with
    copy construction of the QObject.
*/
/*! \internal The last argument of a command's constructor is its parent, never a predicate. */
template <typename P>
concept Predicate = !std::is_convertible_v<P, QObject *>;

template <typename F>
concept Callable = !std::is_base_of_v<QObject, std::remove_cvref_t<F>> && requires
{
    typename CallableTraits<std::remove_cvref_t<F>>::Args;
};

/*! \internal The I-th parameter type of F, decayed. */
template <typename F, std::size_t I>
using ArgOf = std::tuple_element_t<I, typename CallableTraits<F>::Args>;

} // namespace CommandKit::detail
