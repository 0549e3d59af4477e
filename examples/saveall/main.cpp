// SPDX-License-Identifier: MIT
// "Save all" over three commands (CompositeCommand, C24), and one spinner for commands that must not
// run together (CommandGroup, C25).
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlContext>

#include <chrono>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/commandgroup.h>
#include <commandkit/compositecommand.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>

using namespace std::chrono_literals;

namespace {
// Pretends to write a file: a timer, canceled at once by cancel() (A16).
CommandKit::AsyncAction write(std::chrono::milliseconds duration)
{
    co_await CommandKit::resumeAfter(duration);
}
} // namespace

class EditorViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::CompositeCommand *saveAll MEMBER m_saveAll CONSTANT)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *reload MEMBER m_reload CONSTANT)
    Q_PROPERTY(CommandKit::CommandGroup *files MEMBER m_files CONSTANT)

public:
    EditorViewModel()
    {
        m_saveText->setObjectName(QStringLiteral("text"));
        m_saveImage->setObjectName(QStringLiteral("image"));
        m_saveAll->registerCommand(m_saveText);
        m_saveAll->registerCommand(m_saveImage);
        m_saveAll->registerCommand(m_storeLayout);
        // Saving and reloading exclude each other; one spinner shows either.
        m_files->registerCommand(m_saveAll);
        m_files->registerCommand(m_reload);
    }

private:
    CommandKit::AsyncRelayCommand *m_saveText =
        new CommandKit::AsyncRelayCommand([] { return write(600ms); }, this);
    CommandKit::AsyncRelayCommand *m_saveImage =
        new CommandKit::AsyncRelayCommand([] { return write(1500ms); }, this);
    CommandKit::RelayCommand *m_storeLayout = new CommandKit::RelayCommand([] {}, this);
    CommandKit::CompositeCommand *m_saveAll = new CommandKit::CompositeCommand(this);
    CommandKit::AsyncRelayCommand *m_reload =
        new CommandKit::AsyncRelayCommand([] { return write(800ms); }, this);
    CommandKit::CommandGroup *m_files = new CommandKit::CommandGroup(this);
};

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    EditorViewModel viewModel;
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("vm"), &viewModel);
    // --smoke: save all once and quit when it has ended (how the test suite runs the example).
    engine.rootContext()->setContextProperty(QStringLiteral("smoke"), app.arguments().contains("--smoke"));
    engine.load(QUrl(QStringLiteral("qrc:/SaveAllExample/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}

#include "main.moc"
