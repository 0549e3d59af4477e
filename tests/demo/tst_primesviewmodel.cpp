// SPDX-License-Identifier: MIT
// Tests of the demo's Primes panel viewmodel (design.md D1): real primality checks on the thread pool,
// several at once, each row with its own progress, result and cancel.
#include <QtCore/QThreadPool>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/executiontask.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>

#include "primechecksmodel.h"
#include "primesviewmodel.h"

using CommandKit::AsyncStatus;
using CommandKit::ConcurrencyMode;
using Check = PrimeChecksModel::Check;

static_assert(!std::is_copy_constructible_v<PrimesViewModel>);
static_assert(std::is_copy_constructible_v<PrimeResult> && std::is_copy_constructible_v<Check>);

namespace {

// Primes whose trial division takes seconds: long enough to watch two run and to cancel them.
const QString slowPrimeA = QStringLiteral("1000000000000000003");
const QString slowPrimeB = QStringLiteral("1000000000000000009");

} // namespace

class tst_PrimesViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void ninetySevenIsPrime_D1();
    void compositeGivesSmallestDivisor_D1();
    void results_D1_data();
    void results_D1();
    void numberParameterConvertsToo_C4();
    void invalidInputCannotExecuteAndSaysWhy_D1_C3_data();
    void invalidInputCannotExecuteAndSaysWhy_D1_C3();
    void runWaitsForAFreeThread_D1();
    void progressReachesOne_D1();
    void checksRunInParallel_D1_C8();
    void cancelOneRowLeavesOtherRunning_D1_C11();
    void rowsOutliveTheirTasks_D1_C6();
    void removeFinishedFollowsFinishedRows_C3();
    void roleNamesForQml_D1();

private:
    std::unique_ptr<PrimesViewModel> m_vm = std::make_unique<PrimesViewModel>();
    PrimeChecksModel *model() const { return m_vm->checks(); }
};

void tst_PrimesViewModel::cleanup()
{
    // Every test leaves nothing running: the next one starts with an idle pool.
    m_vm->check()->cancel();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));
    m_vm = std::make_unique<PrimesViewModel>();
}

void tst_PrimesViewModel::ninetySevenIsPrime_D1()
{
    m_vm->check()->execute(QStringLiteral("97"));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));

    QCOMPARE(model()->count(), 1);
    const Check check = model()->check(0);
    QCOMPARE(check.status, AsyncStatus::Completed);
    QVERIFY(!check.isRunning);
    QVERIFY(check.result.has_value());
    QVERIFY(check.result->isPrime);
    QCOMPARE(check.result->number, 97);
    QCOMPARE(check.result->smallestDivisor, 97);
    QCOMPARE(model()->data(model()->index(0), PrimeChecksModel::ResultTextRole).toString(),
             QStringLiteral("is prime"));
}

void tst_PrimesViewModel::compositeGivesSmallestDivisor_D1()
{
    m_vm->check()->execute(QStringLiteral("2147483649"));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));

    const Check check = model()->check(0);
    QCOMPARE(check.status, AsyncStatus::Completed);
    QVERIFY(!check.result->isPrime);
    QCOMPARE(check.result->smallestDivisor, 3);
    QCOMPARE(check.result->text(), QStringLiteral("2147483649 is not prime (smallest divisor 3)"));
}

void tst_PrimesViewModel::results_D1_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("isPrime");
    QTest::addColumn<qint64>("smallestDivisor");

    QTest::newRow("2") << "2" << true << qint64(2);
    QTest::newRow("3") << "3" << true << qint64(3);
    QTest::newRow("4") << "4" << false << qint64(2);
    QTest::newRow("9") << "9" << false << qint64(3);
    QTest::newRow("91") << "91" << false << qint64(7);
    QTest::newRow("2^31-1") << "2147483647" << true << qint64(2147483647);
    QTest::newRow("spaces") << " 7919 " << true << qint64(7919);
    QTest::newRow("square of a prime") << "1000006000009" << false << qint64(1000003);
    QTest::newRow("near 2^63") << "9223372036854775807" << false << qint64(7);
}

void tst_PrimesViewModel::results_D1()
{
    QFETCH(QString, input);
    QFETCH(bool, isPrime);
    QFETCH(qint64, smallestDivisor);

    m_vm->check()->execute(input);
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));

    const Check check = model()->check(0);
    QCOMPARE(check.input, input);
    QCOMPARE(check.status, AsyncStatus::Completed);
    QCOMPARE(check.result->isPrime, isPrime);
    QCOMPARE(check.result->smallestDivisor, smallestDivisor);
}

void tst_PrimesViewModel::numberParameterConvertsToo_C4()
{
    m_vm->check()->execute(QVariant::fromValue(qint64(91)));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));

    const Check check = model()->check(0);
    QCOMPARE(check.status, AsyncStatus::Completed);
    QCOMPARE(check.result->text(), QStringLiteral("91 is not prime (smallest divisor 7)"));
}

void tst_PrimesViewModel::invalidInputCannotExecuteAndSaysWhy_D1_C3_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString notANumber = QStringLiteral("\"%1\" is not a whole number from 2 to 9223372036854775807");
    QTest::newRow("empty") << ""
                           << "enter a whole number from 2 to 9223372036854775807";
    QTest::newRow("blank") << "  "
                           << "enter a whole number from 2 to 9223372036854775807";
    for (const char *input : {"abc", "1", "0", "-7", "7.5", "9223372036854775808"})
        QTest::newRow(input) << input << notANumber.arg(QLatin1String(input));
}

void tst_PrimesViewModel::invalidInputCannotExecuteAndSaysWhy_D1_C3()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QSignalSpy errors(m_vm->check(), &CommandKit::Command::errorOccurred);

    // The view disables Check and shows why; a call made anyway runs nothing and adds no row.
    QCOMPARE(PrimesViewModel::inputError(input), expected);
    QVERIFY(!m_vm->check()->canExecuteWith(input));
    const CommandKit::AsyncAction run = m_vm->check()->executeAsync(input);
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QCOMPARE(model()->count(), 0);
    QCOMPARE(errors.count(), 0);
    QVERIFY(PrimesViewModel::inputError(QStringLiteral(" 97 ")).isEmpty());
    QVERIFY(m_vm->check()->canExecuteWith(QStringLiteral("97")));

    // The operation itself still says so when called directly.
    const auto direct = PrimesViewModel::isPrime(input, {});
    QVERIFY(CommandKit::Testing::wait(direct));
    QCOMPARE(direct.status(), AsyncStatus::Error);
    QCOMPARE(direct.errorString(), expected);
}

void tst_PrimesViewModel::runWaitsForAFreeThread_D1()
{
    // One check more than CommandKit's pool has threads: the last one waits, and says so.
    const int threads = CommandKit::threadPool()->maxThreadCount();
    for (int i = 0; i <= threads; ++i)
        m_vm->check()->execute(slowPrimeA);
    // Each of the first rows gets a pool thread, in whatever order the pool starts them.
    for (int row = 0; row < threads; ++row)
        QTRY_VERIFY(!model()->check(row).isWaiting());
    const QModelIndex last = model()->index(threads);
    QVERIFY(model()->check(threads).isWaiting());
    QCOMPARE(model()->data(last, PrimeChecksModel::WaitingRole).toBool(), true);
    QCOMPARE(model()->data(last, PrimeChecksModel::StatusTextRole).toString(), QStringLiteral("waiting"));
    QCOMPARE(model()->data(last, PrimeChecksModel::ResultTextRole).toString(),
             QStringLiteral("waiting for a free thread of the pool"));

    // Canceled before it ever ran, it says that too.
    m_vm->check()->cancel();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));
    QCOMPARE(model()->data(last, PrimeChecksModel::StatusTextRole).toString(), QStringLiteral("canceled"));
    QCOMPARE(model()->data(last, PrimeChecksModel::ResultTextRole).toString(),
             QStringLiteral("canceled before it started"));
    QVERIFY(model()
                ->data(model()->index(0), PrimeChecksModel::ResultTextRole)
                .toString()
                .startsWith(QStringLiteral("canceled at ")));
}

void tst_PrimesViewModel::progressReachesOne_D1()
{
    // 1000003^2: about 500,000 divisions, so several reports of 2^16 divisions each.
    // Connected at the start, before the delegate runs (C7): the run may end inside execute() itself.
    QList<double> reports;
    connect(m_vm->check(), &CommandKit::AsyncRelayCommand::executionTaskChanged, this, [&] {
        CommandKit::ExecutionTask *task = m_vm->check()->executionTask();
        connect(task, &CommandKit::ExecutionTask::progressChanged, this,
                [&reports, task] { reports.append(task->progress().toDouble()); });
    });
    m_vm->check()->execute(QStringLiteral("1000006000009"));
    QVERIFY(m_vm->check()->executionTask());
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));

    QVERIFY(!reports.isEmpty());
    QVERIFY(std::is_sorted(reports.cbegin(), reports.cend()));
    QCOMPARE(reports.last(), 1.0);
    QCOMPARE(model()->check(0).progress, 1.0);
    QCOMPARE(model()->check(0).result->smallestDivisor, 1000003);
}

void tst_PrimesViewModel::checksRunInParallel_D1_C8()
{
    QCOMPARE(m_vm->check()->concurrency(), ConcurrencyMode::Parallel);

    m_vm->check()->execute(slowPrimeA);
    QVERIFY(m_vm->check()->canExecuteWith(slowPrimeB)); // Parallel: a run in progress does not block another
    m_vm->check()->execute(slowPrimeB);

    QCOMPARE(model()->count(), 2);
    QVERIFY(m_vm->check()->isRunning());
    // Both bodies report progress while the other is still running: they run at the same time.
    QTRY_VERIFY(model()->check(0).progress > 0.0 && model()->check(1).progress > 0.0);
    for (int row : {0, 1}) {
        QVERIFY(model()->check(row).isRunning);
        QCOMPARE(model()->check(row).status, AsyncStatus::Started);
    }
    QCOMPARE(model()->finishedCount(), 0);
}

void tst_PrimesViewModel::cancelOneRowLeavesOtherRunning_D1_C11()
{
    m_vm->check()->execute(slowPrimeA);
    m_vm->check()->execute(slowPrimeB);
    QTRY_VERIFY(model()->check(0).progress > 0.0 && model()->check(1).progress > 0.0);

    model()->cancel(0);
    QCOMPARE(model()->check(0).status, AsyncStatus::Canceled); // at once (A4)
    QTRY_VERIFY(!model()->check(0).isRunning);                 // then the body unwinds (A5)
    QCOMPARE(model()->data(model()->index(0), PrimeChecksModel::StatusTextRole).toString(),
             QStringLiteral("canceled"));

    const double before = model()->check(1).progress;
    QTRY_VERIFY(model()->check(1).progress > before); // the other row keeps working
    QCOMPARE(model()->check(1).status, AsyncStatus::Started);
    QVERIFY(model()->check(1).isRunning);
    QVERIFY(m_vm->check()->isRunning());
    QCOMPARE(model()->finishedCount(), 1);

    model()->cancel(1);
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));
    QCOMPARE(model()->check(1).status, AsyncStatus::Canceled);
    QVERIFY(!model()->check(0).result && !model()->check(1).result);
}

void tst_PrimesViewModel::rowsOutliveTheirTasks_D1_C6()
{
    const QStringList inputs{QStringLiteral("97"), QStringLiteral("91"), QStringLiteral("4")};
    for (const QString &input : inputs) {
        m_vm->check()->execute(input);
        QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));
    }

    // The command deletes the tasks of older runs (P6); the rows keep what they showed.
    QTRY_VERIFY(model()->check(0).task.isNull() && model()->check(1).task.isNull());
    QCOMPARE(model()->check(2).task.data(), m_vm->check()->executionTask());
    QCOMPARE(model()->data(model()->index(0), PrimeChecksModel::ResultTextRole).toString(),
             QStringLiteral("is prime"));
    QCOMPARE(model()->data(model()->index(1), PrimeChecksModel::ResultTextRole).toString(),
             QStringLiteral("is not prime (smallest divisor 7)"));
    QCOMPARE(model()->check(2).status, AsyncStatus::Completed);
    model()->cancel(0); // a row whose task is gone: a no-op
    QCOMPARE(model()->check(0).status, AsyncStatus::Completed);
}

void tst_PrimesViewModel::removeFinishedFollowsFinishedRows_C3()
{
    CommandKit::RelayCommand *removeFinished = m_vm->removeFinished();
    QVERIFY(!removeFinished->canExecute());
    QSignalSpy canExecuteChanged(removeFinished, &CommandKit::Command::canExecuteChanged);

    m_vm->check()->execute(slowPrimeA);
    QVERIFY(!removeFinished->canExecute()); // a running row is not a finished one
    // 97 may end inside execute() itself (its operation can end on the pool before the delegate returns).
    m_vm->check()->execute(QStringLiteral("97"));
    QTRY_COMPARE(model()->finishedCount(), 1);
    QVERIFY(removeFinished->canExecute()); // follows the bindable finishedCount by itself
    QCOMPARE(canExecuteChanged.count(), 1);

    removeFinished->execute();
    QCOMPARE(model()->count(), 1);
    QCOMPARE(model()->check(0).input, slowPrimeA);
    QVERIFY(!removeFinished->canExecute());
    QCOMPARE(canExecuteChanged.count(), 2);
}

void tst_PrimesViewModel::roleNamesForQml_D1()
{
    const QHash<int, QByteArray> roles = model()->roleNames();
    for (const char *name :
         {"id", "input", "progress", "status", "isRunning", "statusText", "resultText", "waiting"}) {
        QVERIFY2(roles.values().contains(QByteArray(name)), name);
    }
    m_vm->check()->execute(QStringLiteral("97"));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->check()));
    const QModelIndex first = model()->index(0);
    QCOMPARE(model()->data(first, PrimeChecksModel::InputRole).toString(), QStringLiteral("97"));
    QCOMPARE(model()->data(first, PrimeChecksModel::IdRole).toULongLong(),
             m_vm->check()->executionTask()->id());
    QCOMPARE(model()->data(first, PrimeChecksModel::StatusRole).value<AsyncStatus>(), AsyncStatus::Completed);
    QCOMPARE(model()->data(first, PrimeChecksModel::StatusTextRole).toString(), QStringLiteral("done"));
    QCOMPARE(model()->data(first, PrimeChecksModel::IsRunningRole).toBool(), false);
}

QTEST_GUILESS_MAIN(tst_PrimesViewModel)
#include "tst_primesviewmodel.moc"
