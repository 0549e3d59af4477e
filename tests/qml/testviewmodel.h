// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtCore/QProperty>

#include <QtQml/qqmlregistration.h>
#include <memory>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/commandgroup.h>
#include <commandkit/compositecommand.h>
#include <commandkit/relaycommand.h>

/*!
    \brief A viewmodel for the QML tests: a synchronous command guarded by a bindable flag, and an
    asynchronous one that waits \c workMs on a timer (or until canceled) and then completes.

    For the component matrix: \c sync and \c syncText (RelayCommand, no parameter / QString) and
    \c async and \c asyncText (AsyncRelayCommand, no parameter / QString). The asynchronous ones run
    until the test calls \c finishRuns() or \c failRuns(); the synchronous ones throw while
    \c failSync is set. The QString commands refuse an empty text and \c blockedWord, a plain
    (not bindable) member: changing it needs \c notifyCanExecuteChanged().
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
    Q_PROPERTY(CommandKit::RelayCommand *sync READ sync CONSTANT FINAL)
    Q_PROPERTY(CommandKit::RelayCommand *syncText READ syncText CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *async READ async CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *asyncText READ asyncText CONSTANT FINAL)
    // The README's command: a QString parameter and no predicate.
    Q_PROPERTY(CommandKit::AsyncRelayCommand *search READ search CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *partA MEMBER m_partA CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *partB MEMBER m_partB CONSTANT FINAL)
    Q_PROPERTY(CommandKit::CompositeCommand *all MEMBER m_all CONSTANT FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *groupAsync MEMBER m_groupAsync CONSTANT FINAL)
    Q_PROPERTY(CommandKit::RelayCommand *groupSync MEMBER m_groupSync CONSTANT FINAL)
    Q_PROPERTY(CommandKit::CommandGroup *group MEMBER m_group CONSTANT FINAL)
    Q_PROPERTY(bool failSync MEMBER m_failSync FINAL)
    Q_PROPERTY(int runs READ runs NOTIFY runsChanged FINAL)
    Q_PROPERTY(int errors READ errors NOTIFY errorsChanged FINAL)

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
    CommandKit::RelayCommand *sync() const { return m_sync; }
    CommandKit::RelayCommand *syncText() const { return m_syncText; }
    CommandKit::AsyncRelayCommand *async() const { return m_async; }
    CommandKit::AsyncRelayCommand *asyncText() const { return m_asyncText; }
    CommandKit::AsyncRelayCommand *search() const { return m_search; }
    int runs() const { return m_runs; }
    int errors() const { return m_errors; }

    /*! Completes every asynchronous run in progress. */
    Q_INVOKABLE void finishRuns();
    /*! Ends every asynchronous run in progress with an error. */
    Q_INVOKABLE void failRuns();
    /*! Sets the word the QString commands refuse, without notifying anyone. */
    Q_INVOKABLE void setBlockedWord(const QString &word) { m_blockedWord = word; }

Q_SIGNALS:
    void relayAllowedChanged();
    void relayCountChanged();
    void lastTypedChanged();
    void runsChanged();
    void errorsChanged();

private:
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(TestViewModel, bool, m_relayAllowed, true,
                                         &TestViewModel::relayAllowedChanged)
    CommandKit::RelayCommand *m_relay;
    CommandKit::AsyncRelayCommand *m_work;
    CommandKit::RelayCommand *m_typed;
    int m_relayCount = 0;
    int m_lastTyped = 0;
    int m_workMs = 300;

    QFuture<void> startRun();
    void ran();
    bool allows(const QString &text) const { return !text.isEmpty() && text != m_blockedWord; }
    CommandKit::RelayCommand *m_sync;
    CommandKit::RelayCommand *m_syncText;
    CommandKit::AsyncRelayCommand *m_async;
    CommandKit::AsyncRelayCommand *m_asyncText;
    CommandKit::AsyncRelayCommand *m_search;
    CommandKit::AsyncRelayCommand *m_partA;
    CommandKit::AsyncRelayCommand *m_partB;
    CommandKit::CompositeCommand *m_all;
    CommandKit::AsyncRelayCommand *m_groupAsync;
    CommandKit::RelayCommand *m_groupSync;
    CommandKit::CommandGroup *m_group;
    QList<std::shared_ptr<QPromise<void>>> m_promises;
    QString m_blockedWord = QStringLiteral("blocked");
    bool m_failSync = false;
    int m_runs = 0;
    int m_errors = 0;
};
