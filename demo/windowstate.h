// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonArray>
#include <QtCore/QObject>

class QQuickItem;
class QQuickWindow;

/*!
    \brief A test-only channel (tests/demo/window): what the window shows, as one JSON line on stdout
    after every frame that changed it. main.cpp creates it only when COMMANDKIT_DEMO_STATE is set.

    After each swapped frame it walks the window's items and prints, when anything differs from the
    previous line: the time (ms since the epoch), the window's size, the named item around the active
    focus, the size of CommandKit's pool, and every visible item with an objectName (its text, enabled,
    geometry in window coordinates, effective opacity, for buttons the texts their label shows, and
    for progress bars their value), nested as the items are. It also lists the texts and buttons that do not
   fit: cut off without an ellipsis
    (\c clipped), or elided (\c elided, with the name of the nearest named item around them).
*/
class WindowState : public QObject
{
    Q_OBJECT

public:
    /*! \brief Prints the state of \a window after each of its frames. */
    explicit WindowState(QQuickWindow *window);

private:
    void frameSwapped();
    void walk(QQuickItem *item, double opacity, const QString &around, QJsonArray &into);

    QQuickWindow *m_window;
    QByteArray m_previous;
    QJsonArray m_clipped;
    QJsonArray m_elided;
};
