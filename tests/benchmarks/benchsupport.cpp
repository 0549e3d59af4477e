// SPDX-License-Identifier: MIT
#include "benchsupport.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtGui/QGuiApplication>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <execinfo.h>
#include <malloc.h>
#include <new>
#include <unistd.h>

// The heap counters. Replacing operator new (every form) and interposing malloc in the executable
// reaches every library of the process: ELF symbol interposition sends Qt's and CommandKit's calls here.
extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void __libc_free(void *pointer);
}

namespace {

struct alignas(64) Counters
{
    std::atomic<std::int64_t> news{0};
    std::atomic<std::int64_t> newBytes{0};
    std::atomic<std::int64_t> newLiveBytes{0};
    std::atomic<std::int64_t> mallocs{0};
    std::atomic<std::int64_t> mallocBytes{0};
    std::atomic<std::int64_t> mallocLiveBytes{0};
};

Counters counters;
// relaxed everywhere: the counters order nothing; a HeapCount is made and read on the benchmark's
// thread after the work it measures has been joined through the event loop or the run's end.
alignas(64) std::atomic<bool> counting{false};
std::atomic<bool> tracing{false};
thread_local bool inTrace = false;

void noteMalloc(void *pointer)
{
    if (!pointer || !counting.load(std::memory_order_relaxed))
        return;
    const auto size = std::int64_t(malloc_usable_size(pointer));
    counters.mallocs.fetch_add(1, std::memory_order_relaxed);
    counters.mallocBytes.fetch_add(size, std::memory_order_relaxed);
    counters.mallocLiveBytes.fetch_add(size, std::memory_order_relaxed);
}

void noteFree(void *pointer)
{
    if (!pointer || !counting.load(std::memory_order_relaxed))
        return;
    counters.mallocLiveBytes.fetch_sub(std::int64_t(malloc_usable_size(pointer)), std::memory_order_relaxed);
}

void trace()
{
    if (inTrace)
        return;
    inTrace = true;
    void *frames[24];
    const int depth = backtrace(frames, 24);
    static const char header[] = "--- operator new\n";
    (void)!write(2, header, sizeof header - 1);
    // Skips this function and operator new itself.
    backtrace_symbols_fd(frames + 2, depth - 2, 2);
    inTrace = false;
}

void *countedNew(std::size_t size, std::size_t alignment, bool nothrow)
{
    if (size == 0)
        size = 1;
    void *pointer = alignment > alignof(std::max_align_t)
                        ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                        : std::malloc(size);
    if (!pointer) {
        if (nothrow)
            return nullptr;
        throw std::bad_alloc();
    }
    if (counting.load(std::memory_order_relaxed)) {
        const auto usable = std::int64_t(malloc_usable_size(pointer));
        counters.news.fetch_add(1, std::memory_order_relaxed);
        counters.newBytes.fetch_add(usable, std::memory_order_relaxed);
        counters.newLiveBytes.fetch_add(usable, std::memory_order_relaxed);
        if (tracing.load(std::memory_order_relaxed))
            trace();
    }
    return pointer;
}

void countedDelete(void *pointer) noexcept
{
    if (pointer && counting.load(std::memory_order_relaxed))
        counters.newLiveBytes.fetch_sub(std::int64_t(malloc_usable_size(pointer)), std::memory_order_relaxed);
    std::free(pointer);
}

} // namespace

extern "C" {

void *malloc(size_t size)
{
    void *pointer = __libc_malloc(size);
    noteMalloc(pointer);
    return pointer;
}

void *calloc(size_t count, size_t size)
{
    void *pointer = __libc_calloc(count, size);
    noteMalloc(pointer);
    return pointer;
}

void *realloc(void *pointer, size_t size)
{
    noteFree(pointer);
    void *moved = __libc_realloc(pointer, size);
    noteMalloc(moved);
    return moved;
}

void free(void *pointer)
{
    noteFree(pointer);
    __libc_free(pointer);
}

} // extern "C"

// clang-format off
void *operator new(std::size_t size) { return countedNew(size, 0, false); }
void *operator new[](std::size_t size) { return countedNew(size, 0, false); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept { return countedNew(size, 0, true); }
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept { return countedNew(size, 0, true); }
void *operator new(std::size_t size, std::align_val_t a) { return countedNew(size, std::size_t(a), false); }
void *operator new[](std::size_t size, std::align_val_t a) { return countedNew(size, std::size_t(a), false); }
void *operator new(std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept { return countedNew(size, std::size_t(a), true); }
void *operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept { return countedNew(size, std::size_t(a), true); }
void operator delete(void *p) noexcept { countedDelete(p); }
void operator delete[](void *p) noexcept { countedDelete(p); }
void operator delete(void *p, std::size_t) noexcept { countedDelete(p); }
void operator delete[](void *p, std::size_t) noexcept { countedDelete(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { countedDelete(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { countedDelete(p); }
void operator delete(void *p, std::align_val_t) noexcept { countedDelete(p); }
void operator delete[](void *p, std::align_val_t) noexcept { countedDelete(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { countedDelete(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { countedDelete(p); }
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept { countedDelete(p); }
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept { countedDelete(p); }
// clang-format on

namespace CommandKitBench {

namespace {

HeapStats snapshot()
{
    HeapStats s;
    s.news = counters.news.load(std::memory_order_relaxed);
    s.newBytes = counters.newBytes.load(std::memory_order_relaxed);
    s.newLiveBytes = counters.newLiveBytes.load(std::memory_order_relaxed);
    s.mallocs = counters.mallocs.load(std::memory_order_relaxed);
    s.mallocBytes = counters.mallocBytes.load(std::memory_order_relaxed);
    s.mallocLiveBytes = counters.mallocLiveBytes.load(std::memory_order_relaxed);
    return s;
}

} // namespace

HeapCount::HeapCount()
    : m_start(snapshot())
{
    counting.store(true, std::memory_order_relaxed);
}

HeapCount::~HeapCount()
{
    counting.store(false, std::memory_order_relaxed);
}

HeapStats HeapCount::stats() const
{
    const HeapStats now = snapshot();
    HeapStats d;
    d.news = now.news - m_start.news;
    d.newBytes = now.newBytes - m_start.newBytes;
    d.newLiveBytes = now.newLiveBytes - m_start.newLiveBytes;
    d.mallocs = now.mallocs - m_start.mallocs;
    d.mallocBytes = now.mallocBytes - m_start.mallocBytes;
    d.mallocLiveBytes = now.mallocLiveBytes - m_start.mallocLiveBytes;
    return d;
}

void setAllocationTracing(bool on)
{
    tracing.store(on, std::memory_order_relaxed);
}

bool allocationTracingRequested()
{
    return qEnvironmentVariableIntValue("COMMANDKIT_BENCH_TRACE_ALLOCS") != 0;
}

std::int64_t residentBytes()
{
    long pages = 0;
    long resident = 0;
    if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(statm);
    }
    return std::int64_t(resident) * sysconf(_SC_PAGESIZE);
}

void trimHeap()
{
    malloc_trim(0);
}

void processDeferredDeletes()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    // Qt erases delivered entries from the thread's posted-event list only when asked for every type
    // and receiver; without this the list grows by one slot per deleteLater() and each call above scans
    // all of them (quadratic).
    QCoreApplication::sendPostedEvents();
}

} // namespace CommandKitBench

int main(int argc, char **argv)
{
    // QAction lives in QtGui: a QGuiApplication, without a display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    // backtrace() loads libgcc on first use, which allocates: do it before anything is counted.
    void *frame[1];
    (void)backtrace(frame, 1);
    benchmark::AddCustomContext("qt_version", qVersion());
    benchmark::AddCustomContext("qcoro_version", COMMANDKIT_BENCH_QCORO_VERSION);
    benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
    benchmark::AddCustomContext("commandkit_build_type", COMMANDKIT_BENCH_BUILD_TYPE);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
