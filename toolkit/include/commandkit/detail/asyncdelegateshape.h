// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <cstddef>
#include <stop_token>
#include <type_traits>

#include "commandkit/detail/callabletraits.h"

namespace CommandKit::detail {

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

} // namespace CommandKit::detail
