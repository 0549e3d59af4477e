// SPDX-License-Identifier: MIT
// Q3: a CommandButton leaves nothing animating once its run has ended. A rendered window (under Xvfb,
// OpenGL through Mesa, where an animation costs what it costs on a desktop) holds the button; after an
// instant run the process's CPU time over the next second is measured.
#include <QtCore/QElapsedTimer>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QtTest>

#include <ctime>
#include <memory>

#include "commandkit/asyncrelaycommand.h"
#include "commandkit/scheduling.h"

namespace {

// CPU time (user and system, all threads) of this process, in ms.
double processCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1000.0 + double(t.tv_nsec) / 1e6;
}

// Share of one core (0…1) the process uses while its event loop runs for one second.
double cpuShareOverOneSecond()
{
    const double before = processCpuMs();
    QElapsedTimer wall;
    wall.start();
    // A measuring window, not a synchronisation: nothing is waited for, the loop just runs.
    QTest::qWait(1000);
    return (processCpuMs() - before) / double(wall.elapsed());
}

} // namespace

class tst_CommandButtonIdle : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QQuickWindow> showInWindow(const QByteArray &qml, QObject *command)
    {
        QQmlComponent component(&m_engine);
        component.setData(qml, QUrl(QStringLiteral("inline.qml")));
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{QStringLiteral("command"), QVariant::fromValue(command)}}));
        if (!object) {
            qWarning() << component.errorString();
            return nullptr;
        }
        auto window = std::unique_ptr<QQuickWindow>(qobject_cast<QQuickWindow *>(object.release()));
        if (!window)
            return nullptr;
        QSignalSpy swapped(window.get(), &QQuickWindow::frameSwapped);
        window->show();
        // The first frame (shaders, glyphs) is drawn before any measuring starts.
        if (!QTest::qWaitForWindowExposed(window.get()) ||
            !QTest::qWaitFor([&] { return swapped.count() > 0; }, 5000))
            return nullptr;
        return window;
    }

    QQmlEngine m_engine;

private Q_SLOTS:
    // The measurement can fail: a spinning BusyIndicator in the same window keeps the process busy.
    void runningIndicatorIsMeasuredAsBusy_Q3()
    {
        auto *command =
            new CommandKit::AsyncRelayCommand([]() -> CommandKit::AsyncAction { co_return; }, this);
        auto window = showInWindow(R"(
            import QtQuick
            import QtQuick.Controls
            Window {
                property QtObject command
                width: 200; height: 100
                BusyIndicator { running: true }
            })",
                                   command);
        QVERIFY(window);
        const double share = cpuShareOverOneSecond();
        qInfo("a running BusyIndicator: %.1f%% of a core", share * 100);
        QVERIFY2(share > 0.05, "the measurement sees an animation");
    }

    void idleWindowAfterInstantRunUsesNoCpu_Q3_data()
    {
        QTest::addColumn<int>("busyDelay");
        QTest::newRow("default delay") << 200;
        QTest::newRow("no delay") << 0;
    }

    void idleWindowAfterInstantRunUsesNoCpu_Q3()
    {
        QFETCH(int, busyDelay);
        auto *command = new CommandKit::AsyncRelayCommand(
            []() -> CommandKit::AsyncAction {
                co_await CommandKit::resumeAfter(std::chrono::milliseconds(0));
            },
            this);
        auto window = showInWindow(R"(
            import QtQuick
            import CommandKit
            Window {
                property alias command: button.command
                width: 200; height: 100
                CommandButton { id: button; objectName: "button"; text: "Check" }
            })",
                                   command);
        QVERIFY(window);
        auto *button = window->findChild<QQuickItem *>(QStringLiteral("button"));
        QVERIFY(button);
        button->setProperty("busyDelay", busyDelay);
        QSignalSpy runningChanged(command, &CommandKit::AsyncRelayCommand::isRunningChanged);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(QMetaObject::invokeMethod(button, "trigger"));
            QTRY_VERIFY(!command->isRunning());
        }
        QCOMPARE(runningChanged.count(), 10); // five runs started and ended
        QTRY_VERIFY(!button->property("busyShown").toBool());
        // The frame drawn for the end of the last run, if any, is not part of the idle second.
        QCoreApplication::processEvents();
        const double share = cpuShareOverOneSecond();
        qInfo("idle after 5 instant runs: %.1f%% of a core", share * 100);
        QVERIFY2(share < 0.05, "an idle window uses under 5% of a core");
    }
};

QTEST_MAIN(tst_CommandButtonIdle)
#include "tst_commandbuttonidle.moc"
