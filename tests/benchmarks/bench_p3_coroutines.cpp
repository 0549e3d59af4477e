// SPDX-License-Identifier: MIT
// P3 (design.md §7): an AsyncOperation<int> coroutine that returns at once, awaited by another
// AsyncOperation<int> coroutine, is no slower than the same pair written with QCoro::Task<int>.
#include <QCoro/QCoroTask>

#include <benchmark/benchmark.h>

#include "benchsupport.h"
#include "commandkit/asyncoperation.h"

namespace {

constexpr int countedPairs = 1000;

// Both outer coroutines hand their result out through a reference, so the two cases do the same
// things around the pair: call it, drop its handle.
CommandKit::AsyncOperation<int> operationInner(int value)
{
    co_return value + 1;
}

CommandKit::AsyncOperation<int> operationOuter(int value, int &out)
{
    out = co_await operationInner(value);
    co_return out;
}

QCoro::Task<int> taskInner(int value)
{
    co_return value + 1;
}

QCoro::Task<int> taskOuter(int value, int &out)
{
    out = co_await taskInner(value);
    co_return out;
}

// Times \a f, then counts its allocations; both cases of a comparison go through here.
template <typename F>
void measure(benchmark::State &state, const char *unit, F f)
{
    for (auto _ : state)
        f();
    CommandKitBench::countAllocations(state, countedPairs, unit, f);
}

void P3_QCoroTaskPair(benchmark::State &state)
{
    int out = 0;
    int value = 0;
    measure(state, "pair", [&] {
        (void)taskOuter(value++, out);
        benchmark::DoNotOptimize(out);
    });
    if (out != value)
        state.SkipWithError("the QCoro pair did not finish synchronously");
}

void P3_AsyncOperationPair(benchmark::State &state)
{
    int out = 0;
    int value = 0;
    measure(state, "pair", [&] {
        (void)operationOuter(value++, out);
        benchmark::DoNotOptimize(out);
    });
    if (out != value)
        state.SkipWithError("the AsyncOperation pair did not finish synchronously");
}

// Parts, not peers: one coroutine of each kind that returns at once, called and dropped, to show what
// a single operation costs beside a single task.
void P3_PartQCoroTaskAlone(benchmark::State &state)
{
    int value = 0;
    measure(state, "call", [&] { (void)taskInner(value++); });
}

void P3_PartAsyncOperationAlone(benchmark::State &state)
{
    int value = 0;
    measure(state, "call", [&] { (void)operationInner(value++); });
}

} // namespace

BENCHMARK(P3_QCoroTaskPair);
BENCHMARK(P3_AsyncOperationPair);
BENCHMARK(P3_PartQCoroTaskAlone);
BENCHMARK(P3_PartAsyncOperationAlone);
