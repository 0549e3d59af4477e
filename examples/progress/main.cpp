// SPDX-License-Identifier: MIT
// A button with a spinner, a progress bar and cancel: one AsyncRelayCommand.
#include <QtCore/QThread>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlContext>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/cancellation.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>

class DownloadViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::AsyncRelayCommand *download MEMBER m_download CONSTANT)

    // Pretends to download 50 chunks on CommandKit's thread pool, reporting progress from 0 to 1.
    CommandKit::AsyncRelayCommand *m_download = new CommandKit::AsyncRelayCommand(
        []() -> CommandKit::AsyncOperation<int, double> {
            auto progress = co_await CommandKit::getProgressToken();
            auto canceled = co_await CommandKit::getCancellationToken();
            co_await CommandKit::resumeBackground();
            int chunks = 0;
            for (; chunks < 50 && !canceled(); ++chunks) {
                QThread::msleep(40); // the "work" of one chunk
                progress((chunks + 1) / 50.0);
            }
            co_return chunks;
        },
        this);
};

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    DownloadViewModel viewModel;
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("vm"), &viewModel);
    // --smoke: run once and quit when the run has ended (how the test suite runs the example).
    engine.rootContext()->setContextProperty(QStringLiteral("smoke"), app.arguments().contains("--smoke"));
    engine.load(QUrl(QStringLiteral("qrc:/ProgressExample/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}

#include "main.moc"
