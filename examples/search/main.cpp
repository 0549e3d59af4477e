// SPDX-License-Identifier: MIT
// Search as you type: every keystroke restarts the search (Restart mode cancels the run before).
#include <QtCore/QStringList>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlContext>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/cancellation.h>
#include <commandkit/scheduling.h>

class SearchViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::AsyncRelayCommand *search MEMBER m_search CONSTANT)
    Q_PROPERTY(QStringList hits MEMBER m_hits NOTIFY hitsChanged)

public:
    SearchViewModel()
    {
        for (int i = 0; i < 200000; ++i)
            m_words << QStringLiteral("item-%1").arg(i);
        m_search->setConcurrency(CommandKit::ConcurrencyMode::Restart);
    }

    // Filters on the pool, stops early when a newer keystroke canceled it, assigns on the GUI thread.
    CommandKit::AsyncAction find(QString text)
    {
        auto canceled = co_await CommandKit::getCancellationToken();
        co_await CommandKit::resumeBackground();
        QStringList hits;
        for (const QString &word : std::as_const(m_words)) {
            if (canceled())
                co_return;
            if (word.contains(text) && hits.size() < 100)
                hits << word;
        }
        co_await CommandKit::resumeOn(this); // back on the viewmodel's thread
        m_hits = hits;
        Q_EMIT hitsChanged();
    }

Q_SIGNALS:
    void hitsChanged();

private:
    QStringList m_words;
    QStringList m_hits;
    CommandKit::AsyncRelayCommand *m_search =
        new CommandKit::AsyncRelayCommand([this](QString text) { return find(text); }, this);
};

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    SearchViewModel viewModel;
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("vm"), &viewModel);
    engine.rootContext()->setContextProperty(QStringLiteral("smoke"), app.arguments().contains("--smoke"));
    engine.load(QUrl(QStringLiteral("qrc:/SearchExample/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}

#include "main.moc"
