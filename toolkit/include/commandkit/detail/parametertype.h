// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QVariant>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/isoptional.h"
#include "commandkit/detail/nopredicate.h"

namespace CommandKit::detail {

/*!
    \internal
    Converts a command parameter from QVariant to T (C4) with QVariant's own rules (QMetaType::convert,
    lossy numeric conversions included). An empty QVariant converts as QVariant().value<T>() does: to a
    default-constructed T, a null pointer or an empty std::optional. A QObject pointer converts when
    qobject_cast succeeds. Returns nullopt for a wrong type (a value that is not empty and does not convert).
*/
template <typename T>
std::optional<T> fromParameter(const QVariant &value)
{
    if constexpr (std::is_same_v<T, QVariant>) {
        return value;
    } else if constexpr (IsOptional<T>::value) {
        // Built in place: copying an empty T trips GCC 12's -Wmaybe-uninitialized at -O1 and above.
        if (!value.isValid())
            return std::optional<T>(std::in_place);
        auto inner = fromParameter<typename T::value_type>(value);
        if (!inner)
            return std::nullopt;
        return T(std::move(*inner));
    } else if constexpr (std::is_pointer_v<T> &&
                         std::is_base_of_v<QObject, std::remove_cv_t<std::remove_pointer_t<T>>>) {
        if (!value.isValid())
            return T(nullptr);
        if (!(value.metaType().flags() & QMetaType::PointerToQObject))
            return std::nullopt;
        QObject *object = *static_cast<QObject *const *>(value.constData());
        if (!object)
            return T(nullptr);
        if (auto cast = qobject_cast<T>(object))
            return cast;
        return std::nullopt;
    } else if constexpr (std::is_pointer_v<T>) {
        if (!value.isValid())
            return T(nullptr);
        if (value.metaType() == QMetaType::fromType<T>())
            return *static_cast<const T *>(value.constData());
        return std::nullopt;
    } else {
        if (!value.isValid()) {
            // QVariant's own rule: an empty value reads as a default-constructed T.
            if constexpr (std::is_default_constructible_v<T>)
                return std::optional<T>(std::in_place);
            else
                return std::nullopt;
        }
        if (value.metaType() == QMetaType::fromType<T>())
            return *static_cast<const T *>(value.constData());
        T converted{};
        if (QMetaType::convert(value.metaType(), value.constData(), QMetaType::fromType<T>(), &converted))
            return converted;
        return std::nullopt;
    }
}

/*! \internal What a command knows of its parameter type: its name and a check. */
struct ParameterType
{
    QMetaType type;                              // invalid: the command takes no parameter (any is ignored)
    bool (*accepts)(const QVariant &) = nullptr; // null: anything goes
};

template <typename T>
ParameterType parameterType()
{
    // void: a command without a parameter; QVariant: one that takes any.
    if constexpr (std::is_void_v<T> || std::is_same_v<T, QVariant>)
        return {};
    else
        return {QMetaType::fromType<T>(),
                [](const QVariant &value) { return fromParameter<T>(value).has_value(); }};
}

/*!
    \internal
    Adapts a predicate bool() or bool(T) to bool(const QVariant &); called only with parameters that
    parameterType<T>() accepted. Empty for NoPredicate.
*/
template <typename T, typename Pred>
std::function<bool(const QVariant &)> makePredicate(Pred &&predicate)
{
    using P = std::decay_t<Pred>;
    if constexpr (std::is_same_v<P, NoPredicate>) {
        return {};
    } else if constexpr (CallableTraits<P>::arity == 0) {
        return [predicate = P(std::forward<Pred>(predicate))](const QVariant &) mutable {
            return bool(predicate());
        };
    } else {
        static_assert(CallableTraits<P>::arity == 1 && !std::is_void_v<T>,
                      "A predicate takes nothing, or the same parameter type as the command's delegate");
        static_assert(std::is_same_v<ArgOf<P, 0>, T>,
                      "The predicate's parameter type must be the delegate's");
        return [predicate = P(std::forward<Pred>(predicate))](const QVariant &value) mutable {
            return bool(predicate(*fromParameter<T>(value)));
        };
    }
}

} // namespace CommandKit::detail
