// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <type_traits>
#include <utility>

#include "commandkit/detail/membersignature.h"
#include "commandkit/errors.h"

namespace CommandKit::detail {

/*!
    \internal
    A member function bound to its QObject, as a callable with the member's own parameter list, so the
    commands deduce the parameter type and the delegate's shape from it as from a lambda (C16).

    Once the object's QObject destructor has begun (QPointer is cleared there, before the children,
    and so the command, are deleted) the member is never called: a predicate answers false, a
    \c void delegate does nothing, any other delegate throws \c OperationCanceled, so an asynchronous
    run ends Canceled.
*/
template <typename Object, typename M, typename Signature = typename MemberSignature<M>::type>
class BoundMember;

template <typename Object, typename M, typename R, typename... A>
class BoundMember<Object, M, R(A...)>
{
public:
    BoundMember(Object *object, M member)
        : m_guard(object)
        , m_object(object)
        , m_member(member)
    {}

    R operator()(A... args) const
    {
        if (!m_guard) {
            if constexpr (std::is_void_v<R>)
                return;
            else if constexpr (std::is_same_v<R, bool>)
                return false;
            else
                throw OperationCanceled("the object of the command's member function was destroyed");
        }
        return (m_object->*m_member)(std::forward<A>(args)...);
    }

private:
    // Whether the object is alive; read on the command's thread, which is the object's (C12, C16).
    QPointer<QObject> m_guard;
    Object *m_object;
    M m_member;
};

/*! \internal A member function pointer bound to \a object; anything else (a lambda) as it is. */
template <typename Object, typename F>
decltype(auto) bindToObject(Object *object, F &&f)
{
    using D = std::remove_cvref_t<F>;
    if constexpr (std::is_member_function_pointer_v<D>) {
        static_assert(MemberFunctionOf<D, Object>,
                      "A member function given to a command must belong to the object it is given with");
        return BoundMember<Object, D>(object, f);
    } else {
        return std::forward<F>(f);
    }
}

} // namespace CommandKit::detail
