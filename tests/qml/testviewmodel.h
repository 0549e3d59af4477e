// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QProperty>
#include <QtQml/qqmlregistration.h>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/relaycommand.h>

/*!
    \brief A viewmodel for the QML tests: a synchronous command guarded by a bindable flag, and an
    asynchronous one that waits \c workMs on a timer (or until canceled) and then completes.
*/
class TestViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(CommandKit::RelayCommand *relay READ relay CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *work READ work CONSTANT FINAL)
    Q_PROPERTY(CommandKit::RelayCommand *typed READ typed CONSTANT FINAL)
    Q_PROPERTY(bool relayAllowed READ relayAllowed WRITE setRelayAllowed NOTIFY relayAllowedChanged BINDABLE
                   bindableRelayAllowed FINAL)
    Q_PROPERTY(int relayCount READ relayCount NOTIFY relayCountChanged FINAL)
    Q_PROPERTY(int lastTyped READ lastTyped NOTIFY lastTypedChanged FINAL)
    Q_PROPERTY(int workMs MEMBER m_workMs FINAL)

public:
    explicit TestViewModel(QObject *parent = nullptr);

    CommandKit::RelayCommand *relay() const { return m_relay; }
    CommandKit::AsyncRelayCommand *work() const { return m_work; }
    CommandKit::RelayCommand *typed() const { return m_typed; }
    bool relayAllowed() const { return m_relayAllowed.value(); }
    void setRelayAllowed(bool allowed) { m_relayAllowed = allowed; }
    QBindable<bool> bindableRelayAllowed() { return &m_relayAllowed; }
    int relayCount() const { return m_relayCount; }
    int lastTyped() const { return m_lastTyped; }

Q_SIGNALS:
    void relayAllowedChanged();
    void relayCountChanged();
    void lastTypedChanged();

private:
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(TestViewModel, bool, m_relayAllowed, true,
                                         &TestViewModel::relayAllowedChanged)
    CommandKit::RelayCommand *m_relay;
    CommandKit::AsyncRelayCommand *m_work;
    CommandKit::RelayCommand *m_typed;
    int m_relayCount = 0;
    int m_lastTyped = 0;
    int m_workMs = 300;
};
