// SPDX-License-Identifier: MIT
#include "commandkit/testing.h"

#include <QtCore/QEventLoop>
#include <QtCore/QMetaProperty>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include "commandkit/asyncrelaycommand.h"

namespace CommandKit::Testing {

namespace {

QString toText(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<bool>())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.metaType().flags() & QMetaType::PointerToQObject)
        return value.value<QObject *>() ? QStringLiteral("object") : QStringLiteral("null");
    if (value.metaType().flags() & QMetaType::IsEnumeration) {
        if (const QMetaObject *meta = value.metaType().metaObject()) {
            for (int i = 0; i < meta->enumeratorCount(); ++i) {
                const QMetaEnum e = meta->enumerator(i);
                if (QByteArray(value.metaType().name()).endsWith(e.enumName()))
                    return QString::fromLatin1(e.valueToKey(value.toInt()));
            }
        }
    }
    return value.toString();
}

} // namespace

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
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    loop.exec();
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
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    QPointer<AsyncRelayCommand> guard(command);
    loop.exec();
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
                              toText(m_property.read(m_object)));
    }

private:
    QPointer<QObject> m_object;
    QMetaProperty m_property;
    QStringList *m_changes;
};

} // namespace

PropertyRecorder::PropertyRecorder(QObject *object, const QStringList &properties)
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

} // namespace CommandKit::Testing

#include "testing.moc"
