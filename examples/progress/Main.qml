// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKit

ApplicationWindow {
    width: 360
    height: 160
    visible: true
    title: "CommandKit: progress"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16

        // Runs the command; spins while it runs; turns into Cancel while the run can be canceled.
        CommandButton {
            text: "Download"
            command: vm.download
        }
        ProgressBar {
            Layout.fillWidth: true
            value: vm.download.executionTask ? vm.download.executionTask.progress : 0
        }
        Label {
            readonly property var task: vm.download.executionTask
            text: !task ? "Not started"
                  : task.isRunning ? "Downloading…"
                  : task.status === AsyncStatus.Completed ? "Downloaded " + task.result + " chunks"
                  : task.status === AsyncStatus.Canceled ? "Canceled" : task.errorString
        }
    }

    Connections {
        target: vm.download
        enabled: smoke
        function onIsRunningChanged() {
            if (!vm.download.isRunning)
                Qt.exit(vm.download.executionTask.status === AsyncStatus.Completed ? 0 : 1)
        }
    }
    Component.onCompleted: if (smoke) vm.download.execute()
}
