// SPDX-License-Identifier: MIT
#include "windowstate.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QThreadPool>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>

#include <commandkit/scheduling.h>

#include <cstdio>

namespace {

double rounded(double value)
{
    return qRound(value * 100.0) / 100.0;
}

// The text of a control or a text item (an editable combo box's edit text), or a null value.
QJsonValue textOf(const QQuickItem *item)
{
    const QVariant text = item->property(item->property("editable").toBool() ? "editText" : "text");
    return text.typeId() == QMetaType::QString ? QJsonValue(text.toString()) : QJsonValue();
}

// The texts a control shows, its visible text items' (a button's label, which may differ from its text).
QStringList shownTexts(const QQuickItem *item)
{
    QStringList texts;
    const QList<QQuickItem *> children = item->childItems();
    for (const QQuickItem *child : children) {
        if (!child->isVisible() || child->opacity() == 0.0)
            continue;
        if (child->inherits("QQuickText"))
            texts.append(child->property("text").toString());
        texts.append(shownTexts(child));
    }
    return texts;
}

} // namespace

WindowState::WindowState(QQuickWindow *window)
    : QObject(window)
    , m_window(window)
{
    connect(window, &QQuickWindow::frameSwapped, this, &WindowState::frameSwapped);
}

void WindowState::walk(QQuickItem *item, double opacity, const QString &around, QJsonArray &into)
{
    if (!item->isVisible())
        return;
    opacity *= item->opacity();
    // Not boundingRect(): a text input's is its text's, not the item's.
    const QRectF rect = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    const QString name = item->objectName();
    const QString inside = name.isEmpty() ? around : name;

    if (item->inherits("QQuickText") && !item->property("text").toString().isEmpty()) {
        const QJsonObject text{{QStringLiteral("text"), textOf(item)}, {QStringLiteral("around"), inside}};
        const bool fits =
            item->implicitWidth() <= item->width() + 1.0 && rect.right() <= m_window->width() + 1.0;
        if (item->property("truncated").toBool())
            m_elided.append(text);
        else if (!fits && item->property("wrapMode").toInt() == 0 && item->property("elide").toInt() == 0)
            m_clipped.append(text);
    }
    if (item->inherits("QQuickAbstractButton") && item->implicitWidth() > item->width() + 1.0)
        m_clipped.append(
            QJsonObject{{QStringLiteral("text"), textOf(item)}, {QStringLiteral("around"), inside}});

    QJsonArray *children = &into;
    QJsonArray named;
    if (!name.isEmpty())
        children = &named;
    const QList<QQuickItem *> childItems = item->childItems();
    for (QQuickItem *child : childItems)
        walk(child, opacity, inside, *children);
    if (name.isEmpty())
        return;

    QJsonObject node{
        {QStringLiteral("name"), name},
        {QStringLiteral("enabled"), item->isEnabled()},
        {QStringLiteral("x"), rounded(rect.x())},
        {QStringLiteral("y"), rounded(rect.y())},
        {QStringLiteral("w"), rounded(rect.width())},
        {QStringLiteral("h"), rounded(rect.height())},
        {QStringLiteral("opacity"), rounded(opacity)},
    };
    if (const QJsonValue text = textOf(item); !text.isNull())
        node.insert(QStringLiteral("text"), text);
    if (item->inherits("QQuickAbstractButton"))
        node.insert(QStringLiteral("shown"), shownTexts(item).join(QLatin1Char(' ')));
    if (item->inherits("QQuickProgressBar")) {
        node.insert(QStringLiteral("value"), rounded(item->property("value").toDouble()));
        node.insert(QStringLiteral("indeterminate"), item->property("indeterminate").toBool());
    }
    if (item->hasActiveFocus())
        node.insert(QStringLiteral("activeFocus"), true);
    if (!named.isEmpty())
        node.insert(QStringLiteral("items"), named);
    into.append(node);
}

void WindowState::frameSwapped()
{
    m_clipped = {};
    m_elided = {};
    QJsonArray items;
    walk(m_window->contentItem(), 1.0, {}, items);

    QString focus;
    for (QQuickItem *item = m_window->activeFocusItem(); item && focus.isEmpty(); item = item->parentItem())
        focus = item->objectName();

    QJsonObject state{
        {QStringLiteral("width"), m_window->width()},
        {QStringLiteral("height"), m_window->height()},
        {QStringLiteral("focus"), focus},
        {QStringLiteral("poolThreads"), CommandKit::threadPool()->maxThreadCount()},
        {QStringLiteral("items"), items},
        {QStringLiteral("clipped"), m_clipped},
        {QStringLiteral("elided"), m_elided},
    };
    const QByteArray compact = QJsonDocument(state).toJson(QJsonDocument::Compact);
    if (compact == m_previous)
        return;
    m_previous = compact;
    state.insert(QStringLiteral("t"), double(QDateTime::currentMSecsSinceEpoch()));
    const QByteArray line = QJsonDocument(state).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}
