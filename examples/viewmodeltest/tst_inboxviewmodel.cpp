// SPDX-License-Identifier: MIT
// The viewmodel's test: only the public API of CommandKit and Qt Test, no sleeps.
#include <QtTest/QtTest>

#include <commandkit/executiontask.h>
#include <commandkit/testing.h>

#include "inboxviewmodel.h"

class tst_InboxViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refreshLoadsMessages()
    {
        InboxViewModel vm([] { return QStringList{"hello", "world"}; });
        CommandKit::Testing::PropertyRecorder recorder(vm.refresh(), {"isRunning", "canExecute"});
        const CommandKit::AsyncAction run = vm.refresh()->executeAsync();
        QVERIFY(vm.refresh()->isRunning());
        QVERIFY(CommandKit::Testing::wait(run));
        QCOMPARE(run.status(), CommandKit::AsyncStatus::Completed);
        QCOMPARE(vm.messages(), QStringList({"hello", "world"}));
        QCOMPARE(recorder.changes(),
                 QStringList({"isRunning=true", "canExecute=false", "isRunning=false", "canExecute=true"}));
    }

    void failedRefreshKeepsMessagesAndReportsError()
    {
        InboxViewModel vm([]() -> QStringList { throw std::runtime_error("offline"); });
        QSignalSpy errors(vm.refresh(), &CommandKit::AsyncRelayCommand::errorOccurred);
        vm.refresh()->execute();
        QVERIFY(CommandKit::Testing::waitUntilIdle(vm.refresh()));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("offline"));
        QCOMPARE(vm.refresh()->executionTask()->status(), CommandKit::AsyncStatus::Error);
        QVERIFY(vm.messages().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_InboxViewModel)
#include "tst_inboxviewmodel.moc"
