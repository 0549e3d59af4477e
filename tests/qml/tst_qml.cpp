// SPDX-License-Identifier: MIT
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

// Imports resolve from the build tree: the CommandKit module and this runner's CommandKitTest module.
class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(COMMANDKIT_QML_IMPORT_PATH));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(commandkit, Setup)

#include "tst_qml.moc"
