// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QObject>

#include <type_traits>

namespace CommandKit::detail {

/*! \internal The plain signature R(A...) of a pointer to member function, cv and noexcept dropped. */
template <typename M>
struct MemberSignature
{};
template <typename C, typename R, typename... A>
struct MemberSignature<R (C::*)(A...)>
{
    using Class = C;
    using type = R(A...);
};
template <typename C, typename R, typename... A>
struct MemberSignature<R (C::*)(A...) const> : MemberSignature<R (C::*)(A...)>
{};
template <typename C, typename R, typename... A>
struct MemberSignature<R (C::*)(A...) noexcept> : MemberSignature<R (C::*)(A...)>
{};
template <typename C, typename R, typename... A>
struct MemberSignature<R (C::*)(A...) const noexcept> : MemberSignature<R (C::*)(A...)>
{};

/*!
    \internal
    A pointer to a member function of \a Object (or of one of its bases), where \a Object is a QObject:
    what the commands' (object, &Class::member) constructors take (C16).
*/
template <typename M, typename Object>
concept MemberFunctionOf = std::is_member_function_pointer_v<M> && std::is_base_of_v<QObject, Object> &&
    std::is_base_of_v<typename MemberSignature<M>::Class, Object>;

} // namespace CommandKit::detail
