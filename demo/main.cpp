// SPDX-License-Identifier: MIT
// The CommandKit demo (design.md §5): a Qt Quick Controls window with a Primes panel, a File hash panel
// and a Search panel, or with --tour the same viewmodels driven from the command line without a display.
#include <QtCore/QCommandLineParser>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>

#include <algorithm>

#include "filehashviewmodel.h"
#include "primesviewmodel.h"
#include "searchviewmodel.h"
#include "tour.h"
#include "windowstate.h"

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
        {QStringLiteral("search"),
         QStringLiteral("With --tour: print the files whose name contains <text>, ignoring case."),
         QStringLiteral("text")},
        {QStringLiteral("folder"),
         QStringLiteral("With --search: the folder to search (default: %1).")
             .arg(SearchViewModel::defaultFolder),
         QStringLiteral("dir")},
        {QStringLiteral("screenshot"), QStringLiteral("With --tour: then save the window to <file.png>."),
         QStringLiteral("file.png")},
    });
    parser.process(app);

    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
    PrimesViewModel primes;
    FileHashViewModel fileHash;
    SearchViewModel search;
    if (parser.isSet(QStringLiteral("folder")))
        search.setFolder(parser.value(QStringLiteral("folder")));
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(COMMANDKIT_QML_IMPORT_PATH));
    engine.setInitialProperties({{QStringLiteral("primes"), QVariant::fromValue(&primes)},
                                 {QStringLiteral("fileHash"), QVariant::fromValue(&fileHash)},
                                 {QStringLiteral("search"), QVariant::fromValue(&search)}});
    const QUrl mainQml(QStringLiteral("qrc:/CommandKitDemo/Main.qml"));

    if (!tour) {
        engine.load(mainQml);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
        if (!window)
            return 1;
        // A test-only channel: what the window shows, on stdout (tests/demo/window).
        if (qEnvironmentVariableIsSet("COMMANDKIT_DEMO_STATE"))
            new WindowState(window);
        return app.exec();
    }

    QStringList numbers = parser.values(QStringLiteral("prime"));
    QStringList files = parser.values(QStringLiteral("hash"));
    QString text = parser.value(QStringLiteral("search"));
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    // D2: defaults that work on any machine for what the command line leaves out: the primes and the hash
    // without --prime, --hash and --search, and for a screenshot whatever keeps a panel empty.
    const bool fillIn = (numbers.isEmpty() && files.isEmpty() && text.isEmpty()) || !screenshot.isEmpty();
    if (fillIn && numbers.isEmpty())
        numbers = {QStringLiteral("2147483647"), QStringLiteral("2147483649")};
    if (fillIn && files.isEmpty())
        files = {fileHash.path()};
    if (!screenshot.isEmpty() && text.isEmpty())
        text = QStringLiteral("readme");
    const auto run = runTour(&primes, &fileHash, &search, numbers, files, text);
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
