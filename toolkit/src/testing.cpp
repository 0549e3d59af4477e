// SPDX-License-Identifier: MIT
#include "commandkit/testing.h"

#include <QtCore/QAssociativeIterable>
#include <QtCore/QDebug>
#include <QtCore/QEventLoop>
#include <QtCore/QMetaProperty>
#include <QtCore/QPointer>
#include <QtCore/QSequentialIterable>

#include "clock_p.h"
#include "commandkit/asyncrelaycommand.h"
#include "testing_p.h"

namespace CommandKit::detail {

QString testingText(const QVariant &value, bool nested)
{
    const QMetaType type = value.metaType();
    if (!value.isValid())
        return nested ? QStringLiteral("invalid") : QString();
    if (type == QMetaType::fromType<bool>())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (type.flags() & QMetaType::PointerToQObject)
        return value.value<QObject *>() ? QStringLiteral("object") : QStringLiteral("null");
    if (type.flags() & QMetaType::IsEnumeration) {
        if (const QMetaObject *meta = type.metaObject()) {
            for (int i = 0; i < meta->enumeratorCount(); ++i) {
                const QMetaEnum e = meta->enumerator(i);
                if (QByteArray(type.name()).endsWith(e.enumName()))
                    return QString::fromLatin1(e.valueToKey(value.toInt()));
            }
        }
    }
    if (type == QMetaType::fromType<QString>() || type == QMetaType::fromType<QByteArray>()) {
        const QString text = value.toString();
        return nested ? QLatin1Char('"') + text + QLatin1Char('"') : text;
    }
    if (value.canConvert<QAssociativeIterable>()) {
        QStringList items;
        const QAssociativeIterable map = value.value<QAssociativeIterable>();
        for (auto it = map.begin(); it != map.end(); ++it)
            items << testingText(it.key(), true) + QStringLiteral(": ") + testingText(it.value(), true);
        return QLatin1Char('{') + items.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    if (value.canConvert<QSequentialIterable>()) {
        QStringList items;
        for (const QVariant &item : value.value<QSequentialIterable>())
            items << testingText(item, true);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    if ((type.flags() & QMetaType::IsGadget) && type.metaObject()) {
        const QMetaObject *meta = type.metaObject();
        QStringList fields;
        for (int i = meta->propertyOffset(); i < meta->propertyCount(); ++i) {
            const QMetaProperty property = meta->property(i);
            fields << QString::fromLatin1(property.name()) + QStringLiteral(": ") +
                          testingText(property.readOnGadget(value.constData()), true);
        }
        return QString::fromLatin1(meta->className()) + QLatin1Char('{') + fields.join(QStringLiteral(", ")) +
               QLatin1Char('}');
    }
    if (QMetaType::canConvert(type, QMetaType::fromType<QString>()))
        return value.toString();
    if (type.hasRegisteredDebugStreamOperator()) {
        QString text;
        QDebug(&text).noquote().nospace() << value;
        // QDebug writes a QVariant as "QVariant(Type, value)": keep the value.
        const QString prefix =
            QStringLiteral("QVariant(") + QString::fromLatin1(type.name()) + QStringLiteral(", ");
        if (text.startsWith(prefix) && text.endsWith(QLatin1Char(')')))
            text = text.mid(prefix.size(), text.size() - prefix.size() - 1);
        return text;
    }
    return QString::fromLatin1(type.name());
}

} // namespace CommandKit::detail

namespace CommandKit::Testing {

bool wait(const AsyncAction &operation, std::chrono::milliseconds timeout)
{
    const auto &state = detail::StateAccess::state(operation);
    if (!state)
        return false;
    if (!state->isRunning())
        return true;
    QEventLoop loop;
    detail::ContextRef context(&loop);
    auto quit = [context, &loop] {
        // Posted through the loop's ContextRef: dropped if the wait has already returned.
        context.post([&loop] { loop.quit(); });
    };
    auto *node = new detail::OwnedContinuation<decltype(quit)>(quit);
    if (!state->addContinuation(node)) {
        // Ended between the check above and the registration.
        delete node;
        return true;
    }
    // Real time, also under a VirtualClock: the limit guards the test against hanging (A23).
    const auto limit = detail::Clock::callAfterInRealTime(timeout, context, [&loop] { loop.quit(); });
    loop.exec();
    detail::Clock::cancel(limit);
    return !state->isRunning();
}

bool waitUntilIdle(AsyncRelayCommand *command, std::chrono::milliseconds timeout)
{
    if (!command || !command->isRunning())
        return command != nullptr;
    QEventLoop loop;
    QObject::connect(command, &AsyncRelayCommand::isRunningChanged, &loop, [&loop, command] {
        if (!command->isRunning())
            loop.quit();
    });
    QObject::connect(command, &QObject::destroyed, &loop, &QEventLoop::quit);
    // Real time, also under a VirtualClock: the limit guards the test against hanging (A23).
    const auto limit =
        detail::Clock::callAfterInRealTime(timeout, detail::ContextRef(&loop), [&loop] { loop.quit(); });
    QPointer<AsyncRelayCommand> guard(command);
    loop.exec();
    detail::Clock::cancel(limit);
    return guard && !guard->isRunning();
}

namespace {

// One per recorded property: a notify signal carries no property name, so each probe knows its own.
class Probe : public QObject
{
    Q_OBJECT

public:
    Probe(QObject *object, const QMetaProperty &property, QStringList *changes, QObject *parent)
        : QObject(parent)
        , m_object(object)
        , m_property(property)
        , m_changes(changes)
    {}

public Q_SLOTS:
    void fire()
    {
        if (m_object)
            m_changes->append(QString::fromLatin1(m_property.name()) + QLatin1Char('=') +
                              detail::testingText(m_property.read(m_object)));
    }

private:
    QPointer<QObject> m_object;
    QMetaProperty m_property;
    QStringList *m_changes;
};

} // namespace

PropertyRecorder::PropertyRecorder(QObject *object, const QStringList &properties)
    : m_object(object)
{
    const QMetaObject *meta = object->metaObject();
    QStringList wanted = properties;
    if (wanted.isEmpty()) {
        // One property per NOTIFY signal: a companion that shares its signal with the property it
        // follows (Command::canExecuteRevision with canExecute) would only repeat each entry.
        QList<int> seenSignals;
        for (int i = 0; i < meta->propertyCount(); ++i) {
            const QMetaProperty property = meta->property(i);
            if (property.hasNotifySignal() && !seenSignals.contains(property.notifySignalIndex())) {
                seenSignals << property.notifySignalIndex();
                wanted << QString::fromLatin1(property.name());
            }
        }
    }
    for (const QString &name : std::as_const(wanted)) {
        const int index = meta->indexOfProperty(name.toLatin1().constData());
        const QMetaProperty property = index >= 0 ? meta->property(index) : QMetaProperty();
        if (!property.isValid() || !property.hasNotifySignal()) {
            qWarning("PropertyRecorder: %s has no notifying property '%s'", meta->className(),
                     qPrintable(name));
            continue;
        }
        auto *probe = new Probe(object, property, &m_changes, this);
        const QMetaMethod slot = probe->metaObject()->method(probe->metaObject()->indexOfSlot("fire()"));
        QObject::connect(object, property.notifySignal(), probe, slot, Qt::DirectConnection);
    }
}

void PropertyRecorder::recordCanExecuteWith(const QVariant &parameter)
{
    auto *command = qobject_cast<Command *>(m_object);
    if (!command) {
        qWarning("PropertyRecorder::recordCanExecuteWith(): %s is not a CommandKit::Command",
                 m_object ? m_object->metaObject()->className() : "null");
        return;
    }
    const QString entry =
        QStringLiteral("canExecuteWith(") + detail::testingText(parameter, true) + QStringLiteral(")=");
    auto last = std::make_shared<bool>(command->canExecuteWith(parameter));
    // The recorder is the context: no recording once it is gone.
    connect(command, &Command::canExecuteChanged, this, [this, command, parameter, entry, last] {
        const bool answer = command->canExecuteWith(parameter);
        if (answer == *last)
            return;
        *last = answer;
        m_changes << entry + (answer ? QStringLiteral("true") : QStringLiteral("false"));
    });
}

} // namespace CommandKit::Testing

#include "testing.moc"
