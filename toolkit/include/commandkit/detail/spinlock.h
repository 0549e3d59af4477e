// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
#pragma once

#include <atomic>
#include <thread>

#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86) || defined(_M_ARM64))
#include <intrin.h>
#endif

namespace CommandKit::detail {

/*!
    \internal
    A lock for critical sections of a few instructions: a progress report stores one value. A futex
    mutex made every contended report (worker reporting, GUI thread delivering) a system call; measured
    by bench_p5_progress, the spin lock halves the cost of a report (P5). It spins briefly, then yields.
*/
class SpinLock
{
public:
    void lock() noexcept
    {
        // acquire: pairs with unlock()'s release, so the section sees the previous holder's writes.
        for (int spins = 0; m_locked.exchange(true, std::memory_order_acquire); ++spins) {
            while (m_locked.load(std::memory_order_relaxed)) {
                if (++spins > 64)
                    std::this_thread::yield();
                else
                    pause();
            }
        }
    }
    void unlock() noexcept { m_locked.store(false, std::memory_order_release); }

private:
    static void pause() noexcept
    {
        // The CPU's spin-wait hint; without one the loop only spins.
#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
        _mm_pause();
#elif defined(_MSC_VER) && defined(_M_ARM64)
        __yield();
#elif defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    std::atomic<bool> m_locked{false};
};

} // namespace CommandKit::detail
