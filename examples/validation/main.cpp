// SPDX-License-Identifier: MIT
// A typed parameter from a TextField, validated by the command's predicate; the result into a
// viewmodel property; an error into a label.
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlContext>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/scheduling.h>

#include <chrono>
#include <stdexcept>

class ProfileViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::AsyncRelayCommand *save MEMBER m_save CONSTANT)
    Q_PROPERTY(QString savedName MEMBER m_savedName NOTIFY savedNameChanged)

public:
    // The work: a (pretend) slow save that rejects one name. It resumes on the GUI thread after the
    // delay, so it may assign the viewmodel's property directly.
    CommandKit::AsyncAction saveName(QString name)
    {
        co_await CommandKit::resumeAfter(std::chrono::milliseconds(300));
        if (name == QLatin1String("root"))
            throw std::runtime_error("\"root\" is taken");
        m_savedName = name;
        Q_EMIT savedNameChanged();
    }

Q_SIGNALS:
    void savedNameChanged();

private:
    QString m_savedName;
    // The parameter type, QString, comes from the delegate; the predicate validates it (C3, C4).
    CommandKit::AsyncRelayCommand *m_save = new CommandKit::AsyncRelayCommand(
        [this](QString name) { return saveName(name); },
        [](const QString &name) { return name.size() >= 3 && !name.contains(QLatin1Char(' ')); }, this);
};

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    ProfileViewModel viewModel;
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("vm"), &viewModel);
    engine.rootContext()->setContextProperty(QStringLiteral("smoke"), app.arguments().contains("--smoke"));
    engine.load(QUrl(QStringLiteral("qrc:/ValidationExample/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}

#include "main.moc"
