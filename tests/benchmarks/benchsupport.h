// SPDX-License-Identifier: MIT
// Shared by the benchmark executables: heap counting, resident memory, the Qt application (design.md §7).
#pragma once

#include <QtCore/QObject>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace CommandKitBench {

/*!
    \brief Heap traffic seen while counting was on, at two levels: calls of the global \c operator new
    (every form; replaced in the benchmark binary) and calls of \c malloc / \c calloc / \c realloc
    (interposed in the binary; this level also sees Qt's own \c malloc, e.g. QString and QList storage,
    and the \c malloc under every \c operator new). Live bytes are allocated minus freed, by
    \c malloc_usable_size.
*/
struct HeapStats
{
    std::int64_t news = 0;
    std::int64_t newBytes = 0;
    std::int64_t newLiveBytes = 0;
    std::int64_t mallocs = 0;
    std::int64_t mallocBytes = 0;
    std::int64_t mallocLiveBytes = 0;
};

/*!
    \brief Counts the heap traffic of every thread while it exists; \c stats() is the traffic since it
    was made. Counting is off otherwise, so timed loops pay one relaxed load per allocation and the
    counters' cache line is never shared between threads during a timing.
    \note One at a time.
*/
class HeapCount
{
public:
    HeapCount();
    ~HeapCount();
    HeapCount(const HeapCount &) = delete;
    HeapCount &operator=(const HeapCount &) = delete;

    [[nodiscard]] HeapStats stats() const;

private:
    HeapStats m_start;
};

/*!
    \brief While on (and while a HeapCount counts), prints a backtrace of every \c operator new to
    stderr: where the allocations of a run come from. Set COMMANDKIT_BENCH_TRACE_ALLOCS=1 to have the
    benchmarks that count allocations trace one run.
*/
void setAllocationTracing(bool on);
[[nodiscard]] bool allocationTracingRequested();

/*!
    \brief The work every case does, so that the cases of one point differ only by the dispatch around
    it. Relaxed atomic: some cases run it on a pool thread.
*/
inline void doWork()
{
    static std::atomic<int> work{0};
    benchmark::DoNotOptimize(work.fetch_add(1, std::memory_order_relaxed));
}

/*!
    \brief Counts the heap traffic of \a calls calls of \a call and sets the counters
    \c allocs_per_<unit> and \c mallocs_per_<unit>, and \c held_bytes_per_<unit> when \a withHeld.
    With COMMANDKIT_BENCH_TRACE_ALLOCS set, it then traces the allocations of one more call.
*/
template <typename Call>
void countAllocations(benchmark::State &state, int calls, const std::string &unit, Call call,
                      bool withHeld = false)
{
    {
        HeapCount count;
        for (int i = 0; i < calls; ++i)
            call();
        const HeapStats heap = count.stats();
        state.counters["allocs_per_" + unit] = double(heap.news) / calls;
        state.counters["mallocs_per_" + unit] = double(heap.mallocs) / calls;
        if (withHeld)
            state.counters["held_bytes_per_" + unit] = double(heap.mallocLiveBytes) / calls;
    }
    if (allocationTracingRequested()) {
        HeapCount count;
        setAllocationTracing(true);
        call();
        setAllocationTracing(false);
    }
}

/*! \brief Resident set size of the process, from /proc/self/statm. */
[[nodiscard]] std::int64_t residentBytes();

/*! \brief Returns free heap pages to the system, so a later resident-size delta counts reused memory too. */
void trimHeap();

/*! \brief Deletes the objects whose deleteLater() was called outside any event loop (as a finished run's
 * ExecutionTask). */
void processDeferredDeletes();

/*!
    \brief A QObject that exposes how many events are posted to it and not yet delivered: the number of
    pending deliveries on its thread (QObjectData::postedEvents, kept by QCoreApplication::postEvent).
*/
class PendingProbe : public QObject
{
public:
    using QObject::QObject;
    [[nodiscard]] int pendingEvents() const { return d_ptr->postedEvents.loadRelaxed(); }
};

/*! \brief The same probe for any QObject subclass (e.g. a QFutureWatcher). */
template <typename Base>
class PendingProbeOf : public Base
{
public:
    using Base::Base;
    [[nodiscard]] int pendingEvents() const { return this->d_ptr->postedEvents.loadRelaxed(); }
};

} // namespace CommandKitBench
