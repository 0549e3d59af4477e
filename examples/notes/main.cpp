// SPDX-License-Identifier: MIT
// The notes example: NotesViewModel behind a Qt Quick page (Main.qml).
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlContext>

#include "notesviewmodel.h"

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    // --smoke: load a folder of two notes made here, save them beside it, and exit 0 when both worked
    // (how the test suite runs the example).
    const bool smoke = app.arguments().contains(QStringLiteral("--smoke"));
    QTemporaryDir scratch;
    QString folder = QDir::homePath();
    if (smoke) {
        folder = scratch.path();
        for (const QString name : {QStringLiteral("first.md"), QStringLiteral("second.md")}) {
            QFile note(folder + QLatin1Char('/') + name);
            if (!note.open(QIODevice::WriteOnly) || note.write("# " + name.toUtf8() + "\n") < 0)
                return 1;
        }
    }
    NotesViewModel viewModel;
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("vm"), &viewModel);
    engine.rootContext()->setContextProperty(QStringLiteral("initialFolder"), folder);
    engine.rootContext()->setContextProperty(QStringLiteral("smoke"), smoke);
    engine.load(QUrl(QStringLiteral("qrc:/NotesExample/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
