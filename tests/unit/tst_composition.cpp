// SPDX-License-Identifier: MIT
// whenAll and whenAny over AsyncOperations (design.md A21, A22).
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/composition.h>
#include <commandkit/errors.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;
using namespace std::chrono_literals;

namespace {

/*! Ends with \a value once \a gate opens; deaf to cancel() while it waits (the Gate does not propagate). */
AsyncOperation<int> childValueAfter(Gate &gate, int value)
{
    co_await gate;
    co_return value;
}

AsyncOperation<QString> childTextAfter(Gate &gate, QString text)
{
    co_await gate;
    co_return text;
}

AsyncAction childNothingAfter(Gate &gate)
{
    co_await gate;
}

AsyncOperation<int> childFailAfter(Gate &gate)
{
    co_await gate;
    throw std::runtime_error("child failed");
}

/*! Runs until canceled: cancel() stops its timer at once (A15). */
AsyncOperation<int> childUntilCanceled()
{
    co_await resumeAfter(1h);
    co_return 0;
}

/*! Ends with \a value on a thread of CommandKit's pool. */
AsyncOperation<int> childOnPool(int value)
{
    co_await resumeBackground();
    co_return value;
}

AsyncError::Code misuseCode(const AsyncAction &operation)
{
    try {
        std::rethrow_exception(operation.errorCode());
    } catch (const AsyncError &error) {
        return error.code();
    } catch (...) {
    }
    return AsyncError::WrongThread; // anything but the code the tests expect
}

} // namespace

class tst_Composition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whenAllCompletesWithEveryResultInOrder_A21();
    void whenAllOfDifferentTypesGivesATuple_A21();
    void whenAllOfNoOperationCompletesAtOnce_A21();
    void whenAllFailsWithTheFirstErrorOnceEveryChildHasEnded_A21();
    void whenAllWithACanceledChildEndsCanceled_A21();
    void cancelingWhenAllCancelsEveryChildAndWaitsForThem_A21();
    void whenAllWithAnEmptyHandleIsAMisuse_A21();
    void whenAllOfChildrenOnPoolThreads_A21();
    void whenAnyGivesTheIndexOfTheFirstToEnd_A22();
    void whenAnyCancelsTheLosersWhenAsked_A22();
    void whenAnyOfDifferentTypes_A22();
    void cancelingWhenAnyCancelsEveryChild_A22();
    void whenAnyOfNoOperationIsAMisuse_A22();
};

void tst_Composition::whenAllCompletesWithEveryResultInOrder_A21()
{
    Gate first;
    Gate second;
    const AsyncOperation<QList<int>> all =
        whenAll(QList{childValueAfter(first, 1), childValueAfter(second, 2)});
    second.open();
    QCOMPARE(all.status(), AsyncStatus::Started);
    first.open();
    QVERIFY(Testing::wait(all));
    QCOMPARE(all.status(), AsyncStatus::Completed);
    QCOMPARE(all.getResults(), (QList<int>{1, 2}));

    Gate a;
    Gate b;
    const AsyncAction actions = whenAll(QList{childNothingAfter(a), childNothingAfter(b)});
    a.open();
    b.open();
    QVERIFY(Testing::wait(actions));
    QCOMPARE(actions.status(), AsyncStatus::Completed);
}

void tst_Composition::whenAllOfDifferentTypesGivesATuple_A21()
{
    Gate a;
    Gate b;
    Gate c;
    const auto all =
        whenAll(childValueAfter(a, 7), childTextAfter(b, QStringLiteral("seven")), childNothingAfter(c));
    c.open();
    b.open();
    a.open();
    QVERIFY(Testing::wait(all));
    const auto [number, text, nothing] = all.getResults();
    QCOMPARE(number, 7);
    QCOMPARE(text, QStringLiteral("seven"));
    QVERIFY((std::is_same_v<std::remove_const_t<decltype(nothing)>, std::monostate>));
}

void tst_Composition::whenAllOfNoOperationCompletesAtOnce_A21()
{
    const AsyncOperation<QList<int>> all = whenAll(QList<AsyncOperation<int>>{});
    QVERIFY(Testing::wait(all));
    QCOMPARE(all.status(), AsyncStatus::Completed);
    QVERIFY(all.getResults().isEmpty());
}

void tst_Composition::whenAllFailsWithTheFirstErrorOnceEveryChildHasEnded_A21()
{
    Gate deaf;
    Gate failing;
    const AsyncOperation<int> slow = childValueAfter(deaf, 1);
    const AsyncOperation<int> waiting = childUntilCanceled();
    const AsyncOperation<QList<int>> all = whenAll(QList{slow, childFailAfter(failing), waiting});
    failing.open();
    QCOMPARE(slow.status(), AsyncStatus::Canceled); // the first failure canceled the others
    QTRY_COMPARE(waiting.status(), AsyncStatus::Canceled);
    QTRY_VERIFY(!waiting.isRunning());
    QCOMPARE(all.status(), AsyncStatus::Started); // slow's body has not unwound yet (A5)
    deaf.open();
    QVERIFY(Testing::wait(all));
    QCOMPARE(all.status(), AsyncStatus::Error);
    QCOMPARE(all.errorString(), QStringLiteral("child failed"));
}

void tst_Composition::whenAllWithACanceledChildEndsCanceled_A21()
{
    Gate gate;
    const AsyncOperation<int> canceled = childUntilCanceled();
    const AsyncOperation<int> other = childValueAfter(gate, 2);
    const AsyncOperation<QList<int>> all = whenAll(QList{canceled, other});
    canceled.cancel();
    QCOMPARE(other.status(), AsyncStatus::Canceled);
    gate.open();
    QVERIFY(Testing::wait(all));
    QCOMPARE(all.status(), AsyncStatus::Canceled);
}

void tst_Composition::cancelingWhenAllCancelsEveryChildAndWaitsForThem_A21()
{
    Gate deaf;
    const AsyncOperation<int> slow = childValueAfter(deaf, 1);
    const AsyncOperation<int> waiting = childUntilCanceled();
    const AsyncOperation<QList<int>> all = whenAll(QList{slow, waiting});
    all.cancel();
    QCOMPARE(all.status(), AsyncStatus::Canceled); // at once (A4)
    QCOMPARE(slow.status(), AsyncStatus::Canceled);
    QCOMPARE(waiting.status(), AsyncStatus::Canceled);
    QTRY_VERIFY(!waiting.isRunning());
    QVERIFY2(all.isRunning(), "the combined body waits until every child has unwound (A5)");
    deaf.open();
    QVERIFY(Testing::wait(all));
    QVERIFY(!all.isRunning());
    QCOMPARE(all.status(), AsyncStatus::Canceled);
}

void tst_Composition::whenAllWithAnEmptyHandleIsAMisuse_A21()
{
    const AsyncOperation<QList<int>> all = whenAll(QList{AsyncOperation<int>()});
    QVERIFY(Testing::wait(all));
    QCOMPARE(all.status(), AsyncStatus::Error);
    QCOMPARE(misuseCode(all), AsyncError::IllegalMethodCall);
    QVERIFY2(all.errorString().contains(QStringLiteral("whenAll()")), qPrintable(all.errorString()));
}

void tst_Composition::whenAllOfChildrenOnPoolThreads_A21()
{
    for (int round = 0; round < 50; ++round) {
        QList<AsyncOperation<int>> children;
        for (int i = 0; i < 8; ++i)
            children.append(childOnPool(i));
        const AsyncOperation<QList<int>> all = whenAll(children);
        QVERIFY(Testing::wait(all));
        QCOMPARE(all.getResults(), (QList<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    }
}

void tst_Composition::whenAnyGivesTheIndexOfTheFirstToEnd_A22()
{
    Gate first;
    Gate second;
    const AsyncOperation<int> loser = childValueAfter(first, 1);
    const AsyncOperation<qsizetype> any = whenAny(QList{loser, childValueAfter(second, 2)});
    second.open();
    QVERIFY(Testing::wait(any));
    QCOMPARE(any.getResults(), qsizetype(1));
    QVERIFY2(loser.isRunning(), "WhenAnyLosers::Keep leaves the others running");
    QCOMPARE(loser.status(), AsyncStatus::Started);
    first.open();
    QCOMPARE(loser.getResults(), 1);
}

void tst_Composition::whenAnyCancelsTheLosersWhenAsked_A22()
{
    Gate gate;
    const AsyncOperation<int> loser = childUntilCanceled();
    const AsyncOperation<qsizetype> any = whenAny(QList{loser, childFailAfter(gate)}, WhenAnyLosers::Cancel);
    gate.open();
    QVERIFY(Testing::wait(any));
    QCOMPARE(any.status(), AsyncStatus::Completed); // the first end is a failure: still its index
    QCOMPARE(any.getResults(), qsizetype(1));
    QCOMPARE(loser.status(), AsyncStatus::Canceled);
    QTRY_VERIFY(!loser.isRunning());
}

void tst_Composition::whenAnyOfDifferentTypes_A22()
{
    Gate a;
    Gate b;
    const auto any =
        whenAny(WhenAnyLosers::Keep, childTextAfter(a, QStringLiteral("a")), childNothingAfter(b));
    a.open();
    QVERIFY(Testing::wait(any));
    QCOMPARE(any.getResults(), qsizetype(0));
    b.open();
}

void tst_Composition::cancelingWhenAnyCancelsEveryChild_A22()
{
    const AsyncOperation<int> a = childUntilCanceled();
    const AsyncOperation<int> b = childUntilCanceled();
    const AsyncOperation<qsizetype> any = whenAny(QList{a, b});
    any.cancel();
    QCOMPARE(any.status(), AsyncStatus::Canceled);
    QCOMPARE(a.status(), AsyncStatus::Canceled);
    QCOMPARE(b.status(), AsyncStatus::Canceled);
    QVERIFY(Testing::wait(any));
    QCOMPARE(any.status(), AsyncStatus::Canceled);
}

void tst_Composition::whenAnyOfNoOperationIsAMisuse_A22()
{
    const AsyncOperation<qsizetype> any = whenAny(QList<AsyncOperation<int>>{});
    QVERIFY(Testing::wait(any));
    QCOMPARE(any.status(), AsyncStatus::Error);
    QCOMPARE(misuseCode(any), AsyncError::IllegalMethodCall);
}

QTEST_GUILESS_MAIN(tst_Composition)
#include "tst_composition.moc"
