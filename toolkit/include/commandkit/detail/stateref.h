// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <utility>

#include "commandkit/detail/asyncstatebase.h"

namespace CommandKit::detail {

/*!
    \internal
    An owning reference to an operation's state: the count lives in the state's one atomic word (P3).
    Unlike std::shared_ptr it has no control block, no weak count and no enable_shared_from_this, so a
    handle costs one atomic increment to copy and, when it is the last one, no atomic write to drop.
*/
template <typename T>
class StateRef
{
public:
    StateRef() noexcept = default;
    StateRef(std::nullptr_t) noexcept {}
    StateRef(const StateRef &other) noexcept
        : m_ptr(other.m_ptr)
    {
        if (m_ptr)
            m_ptr->addRef();
    }
    StateRef(StateRef &&other) noexcept
        : m_ptr(std::exchange(other.m_ptr, nullptr))
    {}
    template <typename U>
    requires std::is_convertible_v<U *, T *> StateRef(StateRef<U> other)
    noexcept
        : m_ptr(other.release())
    {}
    ~StateRef()
    {
        if (m_ptr)
            m_ptr->release();
    }
    StateRef &operator=(StateRef other) noexcept
    {
        std::swap(m_ptr, other.m_ptr);
        return *this;
    }

    /*! Takes over a reference the caller already owns (a new state's first, a promise's). */
    [[nodiscard]] static StateRef adopt(T *state) noexcept
    {
        StateRef ref;
        ref.m_ptr = state;
        return ref;
    }
    /*! A new reference to \a state, which the caller keeps alive meanwhile. */
    [[nodiscard]] static StateRef retain(T *state) noexcept
    {
        if (state)
            state->addRef();
        return adopt(state);
    }
    /*! Gives up ownership without dropping the reference. */
    [[nodiscard]] T *release() noexcept { return std::exchange(m_ptr, nullptr); }

    [[nodiscard]] T *get() const noexcept { return m_ptr; }
    T *operator->() const noexcept { return m_ptr; }
    T &operator*() const noexcept { return *m_ptr; }
    explicit operator bool() const noexcept { return m_ptr != nullptr; }

    friend bool operator==(const StateRef &a, const StateRef &b) noexcept { return a.m_ptr == b.m_ptr; }
    friend bool operator==(const StateRef &a, std::nullptr_t) noexcept { return a.m_ptr == nullptr; }

private:
    T *m_ptr = nullptr;
};

/*! \internal Makes a state on its own heap block; the first reference is the returned one. */
template <typename T>
StateRef<T> makeState()
{
    return StateRef<T>::adopt(new T());
}

using StatePtr = StateRef<AsyncStateBase>;

} // namespace CommandKit::detail
