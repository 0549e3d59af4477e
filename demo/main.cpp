// SPDX-License-Identifier: MIT
// The CommandKit demo (design.md §5): a Qt Quick Controls window with a Primes panel and a File hash
// panel, or with --tour the same viewmodels driven from the command line without a display.
#include <QtCore/QCommandLineParser>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>

#include <algorithm>

#include "filehashviewmodel.h"
#include "primesviewmodel.h"
#include "tour.h"

int main(int argc, char *argv[])
{
    // D3: the tour needs no display and no GPU; decided before QGuiApplication picks a platform.
    const bool tour =
        std::any_of(argv + 1, argv + argc, [](const char *arg) { return qstrcmp(arg, "--tour") == 0; });
    if (tour) {
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    }
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("commandkit-demo"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CommandKit demo: commands with progress and cancel."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("tour"),
         QStringLiteral("Run a scripted tour without a window and print the results.")},
        {QStringLiteral("prime"), QStringLiteral("With --tour: check whether <N> is prime (repeatable)."),
         QStringLiteral("N")},
        {QStringLiteral("hash"), QStringLiteral("With --tour: print the SHA-256 of <file> (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("screenshot"), QStringLiteral("With --tour: then save the window to <file.png>."),
         QStringLiteral("file.png")},
    });
    parser.process(app);

    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
    PrimesViewModel primes;
    FileHashViewModel fileHash;
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(COMMANDKIT_QML_IMPORT_PATH));
    engine.setInitialProperties({{QStringLiteral("primes"), QVariant::fromValue(&primes)},
                                 {QStringLiteral("fileHash"), QVariant::fromValue(&fileHash)}});
    const QUrl mainQml(QStringLiteral("qrc:/CommandKitDemo/Main.qml"));

    if (!tour) {
        engine.load(mainQml);
        return engine.rootObjects().isEmpty() ? 1 : app.exec();
    }

    QStringList numbers = parser.values(QStringLiteral("prime"));
    QStringList files = parser.values(QStringLiteral("hash"));
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    // D2: defaults that work on any machine for what the command line leaves out: everything without
    // --prime and --hash, and for a screenshot whatever keeps a panel empty.
    const bool fillIn = (numbers.isEmpty() && files.isEmpty()) || !screenshot.isEmpty();
    if (fillIn && numbers.isEmpty())
        numbers = {QStringLiteral("2147483647"), QStringLiteral("2147483649")};
    if (fillIn && files.isEmpty())
        files = {fileHash.path()};
    const auto run = runTour(&primes, &fileHash, numbers, files);
    run.setCompleted(&app, [&](const CommandKit::AsyncOperation<bool> &op, CommandKit::AsyncStatus status) {
        bool ok = status == CommandKit::AsyncStatus::Completed && op.getResults();
        if (!screenshot.isEmpty())
            ok = saveScreenshot(engine, mainQml, screenshot) && ok;
        // Queued: the tour may have ended before app.exec() started its loop.
        QMetaObject::invokeMethod(
            &app, [ok] { QCoreApplication::exit(ok ? 0 : 1); }, Qt::QueuedConnection);
    });
    return app.exec();
}
