// SPDX-License-Identifier: MIT
// A viewmodel whose refresh command loads messages off the GUI thread and stores them in a property.
#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/scheduling.h>

#include <functional>
#include <stdexcept>

class InboxViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::AsyncRelayCommand *refresh READ refresh CONSTANT)
    Q_PROPERTY(QStringList messages READ messages NOTIFY messagesChanged)

public:
    using Source = std::function<QStringList()>; // runs on a pool thread; may throw

    explicit InboxViewModel(Source source, QObject *parent = nullptr)
        : QObject(parent)
        , m_source(std::move(source))
    {}

    CommandKit::AsyncRelayCommand *refresh() const { return m_refresh; }
    QStringList messages() const { return m_messages; }

Q_SIGNALS:
    void messagesChanged();

private:
    CommandKit::AsyncAction load()
    {
        co_await CommandKit::resumeBackground();
        QStringList loaded = m_source();
        co_await CommandKit::resumeOn(this);
        m_messages = loaded;
        Q_EMIT messagesChanged();
    }

    Source m_source;
    QStringList m_messages;
    CommandKit::AsyncRelayCommand *m_refresh =
        new CommandKit::AsyncRelayCommand([this] { return load(); }, this);
};
