// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include "commandkit/detail/boundmember.h"
#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/membersignature.h"
#include "commandkit/detail/nopredicate.h"
#include "commandkit/detail/parametertype.h"

namespace CommandKit {

template <detail::Callable Execute>
RelayCommand::RelayCommand(Execute &&execute, QObject *parent)
    : RelayCommand(std::forward<Execute>(execute), detail::NoPredicate{}, parent)
{}

template <detail::Callable Execute, detail::Predicate CanExecute>
RelayCommand::RelayCommand(Execute &&execute, CanExecute &&canExecute, QObject *parent)
    : Command(parent)
{
    using F = std::decay_t<Execute>;
    using Traits = detail::CallableTraits<F>;
    static_assert(Traits::arity <= 1, "A RelayCommand delegate takes nothing or one parameter");
    if constexpr (Traits::arity == 0) {
        m_execute = [f = F(std::forward<Execute>(execute))](const QVariant &) mutable { f(); };
        initialize({}, detail::makePredicate<void>(std::forward<CanExecute>(canExecute)));
    } else {
        using T = detail::ArgOf<F, 0>;
        m_execute = [f = F(std::forward<Execute>(execute))](const QVariant &value) mutable {
            f(*detail::fromParameter<T>(value));
        };
        initialize(detail::parameterType<T>(),
                   detail::makePredicate<T>(std::forward<CanExecute>(canExecute)));
    }
}

template <typename Object, detail::MemberFunctionOf<Object> Execute>
RelayCommand::RelayCommand(Object *object, Execute execute)
    : RelayCommand(detail::BoundMember<Object, Execute>(object, execute), detail::NoPredicate{}, object)
{}

template <typename Object, detail::MemberFunctionOf<Object> Execute, typename CanExecute>
RelayCommand::RelayCommand(Object *object, Execute execute, CanExecute &&canExecute)
    : RelayCommand(detail::BoundMember<Object, Execute>(object, execute),
                   detail::bindToObject(object, std::forward<CanExecute>(canExecute)), object)
{}

} // namespace CommandKit
