// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <cstddef>
#include <new>

namespace CommandKit::detail {

/*!
    \internal
    The one place that owns the memory of an operation made by a coroutine (P3: one allocation per
    operation). The promise's operator new allocates one block, [header | room for the State | frame]:

    | step                     | who                 | what happens to the block                          |
    |--------------------------|---------------------|----------------------------------------------------|
    | operator new             | allocate()          | the block is made; the frame's address is noted    |
    | get_return_object()      | buildState()        | the state is built in the room, 2 references       |
    | the body ends (A5)       | FinalAwaiter        | the frame is destroyed; the block stays (state)    |
    | last reference goes      | AsyncStateBase      | the state is destroyed and frees the block         |
    | frame destroyed early    | promise destructor, | the state ends Canceled; once the whole frame is   |
    |                          | then release()      | gone the frame's reference goes, and with the last |
    |                          |                     | one the block                                      |

    Nothing is ever read in front of a frame: whether a frame came from allocate() is known from the
    note allocate() leaves for this thread, compared by address. A frame the compiler built elsewhere
    (an elided allocation) gets a state of its own, as does every operation that is not a coroutine.
*/
template <typename State>
struct FrameBlock
{
    /*! What the block records about itself: whether its room holds the state. */
    struct Header
    {
        bool holdsState = false;
        // The frame was destroyed before its body ended: its reference to the state is dropped once
        // the whole frame, parameters included, is gone (release()).
        bool abandoned = false;
    };

    static constexpr std::size_t Align = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
    static constexpr std::size_t roundUp(std::size_t n) { return (n + Align - 1) / Align * Align; }
    static constexpr std::size_t StateOffset = roundUp(sizeof(Header));
    static constexpr std::size_t FrameOffset = StateOffset + roundUp(sizeof(State));
    static_assert(alignof(State) <= Align, "the state must fit the heap's default alignment");

    /*! A block with room for a frame of \a size bytes; returns the frame's address. */
    static void *allocate(std::size_t size)
    {
        void *memory = ::operator new(FrameOffset + size);
        new (memory) Header;
        void *const frame = static_cast<char *>(memory) + FrameOffset;
        lastFrame = frame;
        return frame;
    }

    /*!
        The frame's operator delete: frees the block of \a frame, unless its room holds a state, which
        frees it when its last reference goes. A frame abandoned before its end drops its reference to
        the state here, after its parameters are gone, and frees the block if that was the last.
    */
    static void release(void *frame) noexcept
    {
        if (lastFrame == frame)
            lastFrame = nullptr;
        Header *const header = headerOf(frame);
        if (header->holdsState) {
            if (!header->abandoned)
                return;
            auto *state = reinterpret_cast<State *>(reinterpret_cast<char *>(header) + StateOffset);
            if (!state->releaseInPlace())
                return;
        }
        ::operator delete(header);
    }

    /*!
        The state of the coroutine whose frame is \a frame, with \a references: built in the frame's
        block when allocate() made that frame on this thread, else on its own. Sets \a inBlock.
    */
    static State *buildState(void *frame, unsigned references, bool &inBlock)
    {
        inBlock = lastFrame == frame;
        if (!inBlock)
            return new State(references);
        lastFrame = nullptr;
        Header *const header = headerOf(frame);
        State *state = new (reinterpret_cast<char *>(header) + StateOffset) State(references, header);
        header->holdsState = true;
        return state;
    }

    /*! Marks \a frame, whose block holds its state, as destroyed before its end (see release()). */
    static void abandon(void *frame) noexcept { headerOf(frame)->abandoned = true; }

private:
    // Only for a frame allocate() made: the header is inside the same allocation.
    static Header *headerOf(void *frame) noexcept
    {
        return reinterpret_cast<Header *>(static_cast<char *>(frame) - FrameOffset);
    }
    // The frame allocate() made last on this thread, until get_return_object() takes it.
    static inline thread_local void *lastFrame = nullptr;
};

} // namespace CommandKit::detail
