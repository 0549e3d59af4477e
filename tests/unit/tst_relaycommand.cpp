// SPDX-License-Identifier: MIT
// Unit tests of Command and RelayCommand (design.md C1–C4, C9, C12).
#include <QtCore/QMetaMethod>
#include <QtCore/QMetaProperty>
#include <QtCore/QObject>
#include <QtCore/QPoint>
#include <QtCore/QProperty>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QtTest>

#include <commandkit/command.h>
#include <commandkit/errors.h>
#include <commandkit/relaycommand.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "testsupport.h"

using namespace CommandKit;
using namespace CommandKitTests;

// C1: Command is the abstract QObject base; a RelayCommand is a QObject, hence neither copyable nor movable.
static_assert(std::is_abstract_v<Command>);
static_assert(std::is_base_of_v<QObject, Command> && std::is_base_of_v<Command, RelayCommand>);
static_assert(!std::is_copy_constructible_v<RelayCommand> && !std::is_move_constructible_v<RelayCommand>);

namespace {

int freeFunctionCalls = 0;
int freeFunctionLast = 0;

void freeFunction(int value)
{
    ++freeFunctionCalls;
    freeFunctionLast = value;
}

} // namespace

class tst_RelayCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // C1 Command
    void canExecuteIsBindableNotifyingProperty_C1();
    void membersAreInvokableFromMetaObject_C1();
    void canExecuteIsAnswerForEmptyParameter_C1();

    // C2 RelayCommand
    void runsDelegateWithoutParameterSynchronously_C2();
    void deducesParameterTypeFromDelegate_C2();
    void deducesParameterTypeFromFunctionPointer_C2();
    void falsePredicatePreventsExecution_C2();
    void parameterPredicateReceivesConvertedValue_C2();

    // C3 automatic canExecute
    void canExecuteFollowsPropertyReadByPredicate_C3();
    void canExecuteChangedFiresOncePerRealChange_C3();
    void canExecuteFollowsAnotherCommandsCanExecute_C3();
    void notifyCanExecuteChangedEmitsOnceWhenAnswerUnchanged_C3();
    void notifyCanExecuteChangedEmitsOnceWhenAnswerChanged_C3();

    // C4 parameters
    void intParameterIsConvertedFromVariant_C4();
    void stringParameterIsConvertedFromVariant_C4();
    void wrongTypeNeverReachesDelegate_C4();
    void emptyParameterConvertsToDefaultValue_C4();
    void canExecuteOfTypedCommandAnswersForDefaultValue_C4();
    void canExecuteWithWrongTypeIsFalseAndSilent_C4();
    void wrongTypeErrorNamesExpectedAndReceivedType_C4();
    void wrongTypeGoesToWrongParameterReporter_C4();
    void optionalParameterAcceptsEmptyVariant_C4();
    void qobjectPointerParameterUsesQobjectCast_C4();

    // C9 errors
    void throwingDelegateNeverEscapesExecute_C9();
    void errorGoesToErrorHandlerWhenSet_C9();
    void errorGoesToErrorOccurredWhenConnected_C9();
    void unhandledErrorGoesToProcessWideHandler_C9();
    void throwingErrorHandlerGoesToProcessWideHandler_C9();
    void throwingPredicateAnswersFalseAndIsReported_C9();
    void defaultProcessWideHandlerLogsCritical_C9();

    // C12 threads
    void notifyCanExecuteChangedFromWorkerThreadEmitsOnCommandThread_C12();
};

// ---------------------------------------------------------------------------------------------- C1

void tst_RelayCommand::canExecuteIsBindableNotifyingProperty_C1()
{
    RelayCommand command([] {});
    const QMetaObject *meta = command.metaObject();
    const QMetaProperty property = meta->property(meta->indexOfProperty("canExecute"));
    QVERIFY(property.isValid());
    QVERIFY(property.isBindable());
    QVERIFY(!property.isWritable());
    QCOMPARE(property.notifySignal(), QMetaMethod::fromSignal(&Command::canExecuteChanged));
    QCOMPARE(property.read(&command), QVariant(true));
}

void tst_RelayCommand::membersAreInvokableFromMetaObject_C1()
{
    int calls = 0;
    int last = 0;
    RelayCommand command([&](int value) {
        ++calls;
        last = value;
    });
    bool answer = false;
    QVERIFY(QMetaObject::invokeMethod(&command, "canExecuteWith", Q_RETURN_ARG(bool, answer),
                                      Q_ARG(QVariant, 3)));
    QVERIFY(answer);
    QVERIFY(QMetaObject::invokeMethod(&command, "execute", Q_ARG(QVariant, 3)));
    QCOMPARE(calls, 1);
    QCOMPARE(last, 3);
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    QVERIFY(QMetaObject::invokeMethod(&command, "notifyCanExecuteChanged"));
    QCOMPARE(changed.count(), 1);
}

void tst_RelayCommand::canExecuteIsAnswerForEmptyParameter_C1()
{
    bool allowed = false;
    RelayCommand command([] {}, [&] { return allowed; });
    QCOMPARE(command.canExecute(), false);
    QCOMPARE(command.canExecuteWith(QVariant()), false);
    allowed = true;
    command.notifyCanExecuteChanged();
    QCOMPARE(command.canExecute(), true);
    QCOMPARE(command.canExecuteWith(QVariant()), true);
}

// ---------------------------------------------------------------------------------------------- C2

void tst_RelayCommand::runsDelegateWithoutParameterSynchronously_C2()
{
    int calls = 0;
    QThread *thread = nullptr;
    RelayCommand command([&] {
        ++calls;
        thread = QThread::currentThread();
    });
    QVERIFY(command.parameterTypeName().isEmpty());
    command.execute();
    QCOMPARE(calls, 1);
    command.execute(QStringLiteral("ignored")); // a parameterless delegate ignores any parameter
    QCOMPARE(calls, 2);
    QCOMPARE(thread, QThread::currentThread());
}

void tst_RelayCommand::deducesParameterTypeFromDelegate_C2()
{
    QString received;
    RelayCommand command([&](const QString &value) { received = value; });
    QCOMPARE(command.parameterTypeName(), QStringLiteral("QString"));
    command.execute(QStringLiteral("hello"));
    QCOMPARE(received, QStringLiteral("hello"));
}

void tst_RelayCommand::deducesParameterTypeFromFunctionPointer_C2()
{
    freeFunctionCalls = 0;
    RelayCommand command(&freeFunction);
    QCOMPARE(command.parameterTypeName(), QStringLiteral("int"));
    command.execute(11);
    QCOMPARE(freeFunctionCalls, 1);
    QCOMPARE(freeFunctionLast, 11);
}

void tst_RelayCommand::falsePredicatePreventsExecution_C2()
{
    int calls = 0;
    bool allowed = false;
    RelayCommand command([&] { ++calls; }, [&] { return allowed; });
    command.execute();
    QCOMPARE(calls, 0);
    allowed = true;
    command.execute(); // the predicate is asked on every execute()
    QCOMPARE(calls, 1);
}

void tst_RelayCommand::parameterPredicateReceivesConvertedValue_C2()
{
    QList<int> executed;
    RelayCommand command([&](int value) { executed << value; }, [](int value) { return value % 2 == 0; });
    QVERIFY(command.canExecuteWith(4));
    QVERIFY(!command.canExecuteWith(3));
    QVERIFY(command.canExecuteWith(QStringLiteral("6"))); // converted before the predicate sees it
    command.execute(3);
    command.execute(QStringLiteral("8"));
    QCOMPARE(executed, QList<int>({8}));
}

// ---------------------------------------------------------------------------------------------- C3

void tst_RelayCommand::canExecuteFollowsPropertyReadByPredicate_C3()
{
    QProperty<bool> enabled(true);
    RelayCommand command([] {}, [&] { return enabled.value(); });
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    QVERIFY(command.canExecute());

    enabled = false;
    QCOMPARE(command.canExecute(), false);
    QCOMPARE(changed.count(), 1);
    enabled = true;
    QCOMPARE(command.canExecute(), true);
    QCOMPARE(changed.count(), 2);
}

void tst_RelayCommand::canExecuteChangedFiresOncePerRealChange_C3()
{
    QProperty<int> stock(1);
    RelayCommand command([] {}, [&] { return stock.value() > 0; });
    QSignalSpy changed(&command, &Command::canExecuteChanged);

    stock = 2; // the input changed, the answer did not
    stock = 3;
    QCOMPARE(changed.count(), 0);
    stock = 0;
    QCOMPARE(changed.count(), 1);
    stock = -1;
    QCOMPARE(changed.count(), 1);
    QCOMPARE(command.canExecute(), false);
}

void tst_RelayCommand::canExecuteFollowsAnotherCommandsCanExecute_C3()
{
    QProperty<bool> enabled(true);
    RelayCommand first([] {}, [&] { return enabled.value(); });
    RelayCommand second([] {}, [&] { return first.canExecute(); });
    QSignalSpy changed(&second, &Command::canExecuteChanged);
    QVERIFY(second.canExecute());
    enabled = false;
    QCOMPARE(second.canExecute(), false);
    QCOMPARE(changed.count(), 1);
}

void tst_RelayCommand::notifyCanExecuteChangedEmitsOnceWhenAnswerUnchanged_C3()
{
    bool allowed = true; // not bindable
    RelayCommand command([] {}, [&] { return allowed; });
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    command.notifyCanExecuteChanged();
    QCOMPARE(changed.count(), 1); // "re-query" even though the answer is the same
    QCOMPARE(command.canExecute(), true);
}

void tst_RelayCommand::notifyCanExecuteChangedEmitsOnceWhenAnswerChanged_C3()
{
    bool allowed = true; // not bindable
    RelayCommand command([] {}, [&] { return allowed; });
    QSignalSpy changed(&command, &Command::canExecuteChanged);
    allowed = false;
    QCOMPARE(changed.count(), 0);
    command.notifyCanExecuteChanged();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(command.canExecute(), false);
}

// ---------------------------------------------------------------------------------------------- C4

void tst_RelayCommand::intParameterIsConvertedFromVariant_C4()
{
    QList<int> received;
    RelayCommand command([&](int value) { received << value; });
    command.execute(42);
    command.execute(QStringLiteral("7"));
    command.execute(QVariant::fromValue<qint64>(5));
    QCOMPARE(received, QList<int>({42, 7, 5}));
}

void tst_RelayCommand::stringParameterIsConvertedFromVariant_C4()
{
    QStringList received;
    RelayCommand command([&](const QString &value) { received << value; });
    command.execute(QStringLiteral("abc"));
    command.execute(5);
    command.execute(QByteArray("bytes"));
    QCOMPARE(received, QStringList({QStringLiteral("abc"), QStringLiteral("5"), QStringLiteral("bytes")}));
}

void tst_RelayCommand::wrongTypeNeverReachesDelegate_C4()
{
    UnhandledErrors errors;
    int calls = 0;
    RelayCommand command([&](int) { ++calls; });
    QCOMPARE(thrown([&] { command.execute(QVariant::fromValue(QPoint(1, 2))); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { command.execute(QStringLiteral("not a number")); }), QStringLiteral("nothing"));
    QCOMPARE(calls, 0);
    QCOMPARE(errors.messages().size(), 2); // reported (C9), nobody else handles it here
}

void tst_RelayCommand::emptyParameterConvertsToDefaultValue_C4()
{
    UnhandledErrors errors;
    QList<int> numbers;
    QStringList texts;
    RelayCommand number([&](int value) { numbers << value; });
    RelayCommand text([&](QString value) { texts << value; });
    QSignalSpy errorSpy(&text, &Command::errorOccurred);
    number.execute(); // as QVariant().value<int>(): 0
    text.execute();   // as QVariant().value<QString>(): a null QString
    QCOMPARE(numbers, QList<int>({0}));
    QCOMPARE(texts.size(), 1);
    QVERIFY(texts.constFirst().isNull());
    QCOMPARE(errorSpy.count(), 0);
    QCOMPARE(errors.messages(), QStringList());
}

void tst_RelayCommand::canExecuteOfTypedCommandAnswersForDefaultValue_C4()
{
    QString required;
    RelayCommand command([](QString) {}, [&](QString value) { return value == required; });
    QVERIFY(command.canExecute()); // the predicate was asked with QString{}
    QVERIFY(command.canExecuteWith(QVariant()));
    QVERIFY(!command.canExecuteWith(QStringLiteral("a")));
    required = QStringLiteral("a");
    command.notifyCanExecuteChanged();
    QVERIFY(!command.canExecute());
    QVERIFY(command.canExecuteWith(QStringLiteral("a")));
}

void tst_RelayCommand::canExecuteWithWrongTypeIsFalseAndSilent_C4()
{
    UnhandledErrors errors;
    RelayCommand command([](int) {});
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    QVERIFY(command.canExecuteWith(1));
    QVERIFY(!command.canExecuteWith(QVariant::fromValue(QPoint(1, 2))));
    QVERIFY(!command.canExecuteWith(QStringLiteral("not a number")));
    QCOMPARE(errorSpy.count(), 0);
    QCOMPARE(errors.messages(), QStringList());
}

void tst_RelayCommand::wrongTypeErrorNamesExpectedAndReceivedType_C4()
{
    RelayCommand command([](int) {});
    command.setObjectName(QStringLiteral("pageCommand"));
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    command.execute(QVariant::fromValue(QPoint(1, 2)));
    QCOMPARE(errorSpy.count(), 1);
    const QString message = errorSpy.at(0).at(0).toString();
    QVERIFY2(message.contains(QLatin1String("int")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("QPoint")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("pageCommand")), qPrintable(message));
}

void tst_RelayCommand::wrongTypeGoesToWrongParameterReporter_C4()
{
    QStringList reported;
    Command *reportedBy = nullptr;
    auto previous = Command::setWrongParameterReporter([&](Command *command, const QString &message) {
        reportedBy = command;
        reported << message;
    });
    const auto restore = qScopeGuard([&] { Command::setWrongParameterReporter(std::move(previous)); });
    RelayCommand command([](int) {});
    QSignalSpy errorSpy(&command, &Command::errorOccurred); // handled, so nothing goes process-wide
    command.execute(QVariant::fromValue(QPoint(1, 2)));
    command.execute(1);
    QCOMPARE(reported.size(), 1);
    QCOMPARE(reportedBy, &command);
    QVERIFY2(reported.constFirst().contains(QLatin1String("QPoint")), qPrintable(reported.constFirst()));
}

void tst_RelayCommand::optionalParameterAcceptsEmptyVariant_C4()
{
    QList<std::optional<int>> received;
    RelayCommand command([&](std::optional<int> value) { received << value; });
    QVERIFY(command.canExecute());
    command.execute();
    command.execute(3);
    QCOMPARE(received.size(), 2);
    QVERIFY(!received.at(0).has_value());
    QVERIFY(received.at(1).has_value());
    QCOMPARE(*received.at(1), 3);
}

void tst_RelayCommand::qobjectPointerParameterUsesQobjectCast_C4()
{
    QList<QTimer *> received;
    RelayCommand command([&](QTimer *timer) { received << timer; });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    QTimer timer;
    QObject plain;
    command.execute(QVariant::fromValue<QObject *>(&timer));
    command.execute(QVariant::fromValue<QObject *>(&plain));
    command.execute();
    QCOMPARE(received, QList<QTimer *>({&timer, nullptr}));
    QCOMPARE(errorSpy.count(), 1); // the plain QObject is not a QTimer
}

// ---------------------------------------------------------------------------------------------- C9

void tst_RelayCommand::throwingDelegateNeverEscapesExecute_C9()
{
    UnhandledErrors errors;
    RelayCommand command([] { throw TestError("delegate failed"); });
    QCOMPARE(thrown([&] { command.execute(); }), QStringLiteral("nothing"));
    QCOMPARE(thrown([&] { QMetaObject::invokeMethod(&command, "execute", Q_ARG(QVariant, QVariant())); }),
             QStringLiteral("nothing"));
    QCOMPARE(errors.messages().size(), 2);
}

void tst_RelayCommand::errorGoesToErrorHandlerWhenSet_C9()
{
    UnhandledErrors errors;
    RelayCommand command([] { throw TestError("to the handler", 7); });
    int tag = 0;
    command.setErrorHandler([&](std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const TestError &e) {
            tag = e.tag();
        }
    });
    command.execute();
    QCOMPARE(tag, 7); // the delegate's own exception
    QCOMPARE(errors.messages(), QStringList());
}

void tst_RelayCommand::errorGoesToErrorOccurredWhenConnected_C9()
{
    UnhandledErrors errors;
    RelayCommand command([] { throw TestError("to the signal"); });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    command.execute();
    QCOMPARE(errorSpy.count(), 1);
    QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("to the signal"));
    QCOMPARE(errors.messages(), QStringList());
}

void tst_RelayCommand::unhandledErrorGoesToProcessWideHandler_C9()
{
    UnhandledErrors errors;
    RelayCommand command([] { throw TestError("nobody listens"); });
    command.setObjectName(QStringLiteral("lonely"));
    command.execute();
    QCOMPARE(errors.messages(), QStringList({QStringLiteral("nobody listens")}));
    QVERIFY2(errors.where().constFirst().contains(QLatin1String("lonely")),
             qPrintable(errors.where().join(';')));
}

void tst_RelayCommand::throwingErrorHandlerGoesToProcessWideHandler_C9()
{
    UnhandledErrors errors;
    RelayCommand command([] { throw TestError("first"); });
    command.setErrorHandler([](std::exception_ptr) { throw TestError("handler failed too"); });
    QCOMPARE(thrown([&] { command.execute(); }), QStringLiteral("nothing"));
    QCOMPARE(errors.messages(), QStringList({QStringLiteral("handler failed too")}));
}

void tst_RelayCommand::throwingPredicateAnswersFalseAndIsReported_C9()
{
    UnhandledErrors errors;
    bool fail = false;
    int calls = 0;
    RelayCommand command([&] { ++calls; },
                         [&] {
                             if (fail)
                                 throw TestError("predicate failed");
                             return true;
                         });
    QSignalSpy errorSpy(&command, &Command::errorOccurred);
    fail = true;
    bool answer = true;
    QCOMPARE(thrown([&] { answer = command.canExecuteWith(QVariant()); }), QStringLiteral("nothing"));
    QVERIFY(!answer);
    QCOMPARE(thrown([&] { command.execute(); }), QStringLiteral("nothing"));
    QCOMPARE(calls, 0);
    QCOMPARE(errorSpy.count(), 0); // posted: never emitted from inside the evaluation
    QTRY_COMPARE_WITH_TIMEOUT(errorSpy.count(), 2, 5000);
    QCOMPARE(errorSpy.at(0).at(0).toString(), QStringLiteral("predicate failed"));
    QCOMPARE(errors.messages(), QStringList());
}

void tst_RelayCommand::defaultProcessWideHandlerLogsCritical_C9()
{
    auto previous = setUnhandledErrorHandler({}); // the default: qCritical in category "commandkit"
    const auto restore = qScopeGuard([&] { setUnhandledErrorHandler(std::move(previous)); });
    RelayCommand command([] { throw TestError("logged"); });
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("logged")));
    command.execute();
}

// --------------------------------------------------------------------------------------------- C12

void tst_RelayCommand::notifyCanExecuteChangedFromWorkerThreadEmitsOnCommandThread_C12()
{
    RelayCommand command([] {});
    QList<QThread *> threads;
    connect(
        &command, &Command::canExecuteChanged, this, [&] { threads << QThread::currentThread(); },
        Qt::DirectConnection);
    Worker worker([&] { command.notifyCanExecuteChanged(); });
    QVERIFY(worker.join());
    QTRY_COMPARE_WITH_TIMEOUT(threads.size(), 1, 5000);
    QCOMPARE(threads.constFirst(), QThread::currentThread());
}

QTEST_GUILESS_MAIN(tst_RelayCommand)
#include "tst_relaycommand.moc"
