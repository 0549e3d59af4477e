// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKit

ApplicationWindow {
    width: 360
    height: 200
    visible: true
    title: "CommandKit: save all"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16

        RowLayout {
            // Runs every part; Cancel cancels every part; disabled while Reload runs (the group).
            CommandButton {
                text: "Save all"
                command: vm.saveAll
            }
            CommandButton {
                text: "Reload"
                command: vm.reload
            }
            BusyIndicator {
                running: vm.files.isRunning
            }
        }
        Label {
            readonly property var task: vm.saveAll.executionTask
            text: !task ? vm.saveAll.commands.length + " parts to save"
                  : task.isRunning ? "Saving…"
                  : task.status === AsyncStatus.Completed ? "Saved"
                  : task.status === AsyncStatus.Canceled ? "Canceled" : vm.saveAll.lastError
        }
    }

    Connections {
        target: vm.saveAll
        enabled: smoke
        function onIsRunningChanged() {
            if (!vm.saveAll.isRunning)
                Qt.exit(vm.saveAll.executionTask.status === AsyncStatus.Completed && vm.reload.canExecute ? 0 : 1)
        }
    }
    Component.onCompleted: if (smoke) {
        vm.saveAll.execute();
        if (vm.reload.canExecute || !vm.files.isRunning)
            Qt.exit(2); // the group must hold Reload while Save all runs
    }
}
