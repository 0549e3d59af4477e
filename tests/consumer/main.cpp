// SPDX-License-Identifier: MIT
// An application that uses CommandKit from outside its repository: a viewmodel with an
// AsyncRelayCommand, run from QML. Exits 0 only when the run's result arrived in QML and no QML
// warning or error occurred; nonzero otherwise.
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/commandgroup.h>
#include <commandkit/compositecommand.h>
#include <commandkit/composition.h>
#include <commandkit/executiontask.h>
#include <commandkit/scheduling.h>
#include <commandkit/version.h>

#include <cstdio>

static_assert(COMMANDKIT_VERSION >= COMMANDKIT_VERSION_CHECK(0, 2, 0), "CommandKit 0.2 or later");

namespace {

// The viewmodel: greets a name, off the GUI thread, the way a viewmodel is written with CommandKit 0.2:
// a member function as the delegate (C16), two operations awaited together (A21), the result put into
// the viewmodel's own member on its thread (C17).
class GreeterViewModel : public QObject
{
public:
    GreeterViewModel()
    {
        greet->onResult([this](const QString &text) { greeting = text; });
        // A composite over the greeting (C24) and a group that makes it exclusive (C25), from outside.
        greetAll->registerCommand(greet);
        group->registerCommand(greet);
    }

    CommandKit::AsyncRelayCommand *const greet =
        new CommandKit::AsyncRelayCommand(this, &GreeterViewModel::greetSomeone);
    CommandKit::CompositeCommand *const greetAll = new CommandKit::CompositeCommand(this);
    CommandKit::CommandGroup *const group = new CommandKit::CommandGroup(this);
    QString greeting;

private:
    static CommandKit::AsyncOperation<QString> onPool(QString text)
    {
        co_await CommandKit::resumeBackground();
        co_return text;
    }

    CommandKit::AsyncOperation<QString> greetSomeone(QString name)
    {
        const auto [hello, who] = co_await CommandKit::whenAll(onPool(QStringLiteral("Hello")), onPool(name));
        co_return QStringLiteral("%1, %2!").arg(hello, who);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    std::printf("consumer: CommandKit %s\n", COMMANDKIT_VERSION_STR);

    GreeterViewModel viewModel;
    int qmlProblems = 0;
    int code = 0;
    {
        QQmlApplicationEngine engine;
        QObject::connect(&engine, &QQmlApplicationEngine::warnings,
                         [&qmlProblems](const QList<QQmlError> &errors) {
                             for (const QQmlError &error : errors)
                                 std::fprintf(stderr, "consumer: QML: %s\n", qPrintable(error.toString()));
                             qmlProblems += int(errors.size());
                             QCoreApplication::exit(2);
                         });
        // A bound on a broken run, not a wait: the run itself takes milliseconds.
        QTimer::singleShot(30000, &app, [] {
            std::fprintf(stderr, "consumer: no result after 30 s\n");
            QCoreApplication::exit(4);
        });

        engine.setInitialProperties({{QStringLiteral("greet"), QVariant::fromValue(viewModel.greet)},
                                     {QStringLiteral("greetAll"), QVariant::fromValue(viewModel.greetAll)},
                                     {QStringLiteral("group"), QVariant::fromValue(viewModel.group)}});
        engine.load(QUrl(QStringLiteral("qrc:/CommandKitConsumer/Main.qml")));
        code = engine.rootObjects().isEmpty() ? 3 : app.exec();
    } // The engine goes first, so a warning while QML is torn down counts too.

    // QML said it saw the result; check it here too.
    const CommandKit::ExecutionTask *task = viewModel.greet->executionTask();
    const QString result = task ? task->result().toString() : QString();
    std::printf("consumer: exit %d, result '%s', greeting '%s', lastError '%s'\n", code, qPrintable(result),
                qPrintable(viewModel.greeting), qPrintable(viewModel.greet->lastError()));
    if (code != 0)
        return code;
    std::printf("consumer: QML warnings and errors: %d\n", qmlProblems);
    const bool right = result == QStringLiteral("Hello, QML!") && viewModel.greeting == result &&
                       viewModel.greet->lastError().isEmpty() && viewModel.greet->debounce() == 10 &&
                       !viewModel.group->isRunning();
    return qmlProblems == 0 && right ? 0 : 5;
}
