// SPDX-License-Identifier: MIT
import QtQuick
import CommandKit

// Clicks a CommandButton bound to the viewmodel's command and exits 0 when the run's result arrived.
Item {
    id: root

    required property AsyncRelayCommand greet
    required property CompositeCommand greetAll
    required property CommandGroup group

    width: 200
    height: 50

    CommandButton {
        id: button

        command: root.greet
        parameter: "QML"
        text: "Greet"
    }

    readonly property bool running: root.greet !== null && root.greet.isRunning

    onRunningChanged: {
        if (root.running)
            return;
        const task = root.greet.executionTask;
        const arrived = task !== null && task.status === AsyncStatus.Completed && task.result === "Hello, QML!";
        console.info("consumer: result", task ? task.result : "(no task)");
        Qt.exit(arrived ? 0 : 1);
    }

    Component.onCompleted: {
        // The click starts the run 10 ms later (C22), on the real clock.
        root.greet.debounce = 10;
        if (!root.greetAll.canExecute || root.group.isRunning) {
            console.error("consumer: the composite or the group is not as the viewmodel made them");
            Qt.exit(1);
            return;
        }
        if (!button.enabled) {
            console.error("consumer: the command cannot execute");
            Qt.exit(1);
            return;
        }
        button.clicked();
    }
}
