// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKit

ApplicationWindow {
    width: 520
    height: 400
    visible: true
    title: "CommandKit: notes"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12

        RowLayout {
            TextField {
                id: folder
                Layout.fillWidth: true
                text: initialFolder
                placeholderText: "a folder of *.md notes"
            }
            // Loads; spins while loading; turns into Cancel while the load can be canceled.
            CommandButton {
                text: "Load"
                command: vm.load
                parameter: folder.text
            }
        }
        ProgressBar {
            Layout.fillWidth: true
            to: 100
            value: vm.load.executionTask ? vm.load.executionTask.progress ?? 0 : 0
        }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: vm.notes
            delegate: Label {
                required property string modelData
                width: ListView.view.width
                text: modelData.split("\n")[0]
                elide: Text.ElideRight
            }
        }
        RowLayout {
            TextField {
                id: target
                Layout.fillWidth: true
                text: folder.text + "/all-notes.txt"
            }
            CommandButton {
                text: "Save"
                command: vm.save
                parameter: target.text
            }
            // Enabled only while there are notes: its predicate reads a bindable (C3).
            CommandButton {
                text: "Clear"
                command: vm.clear
            }
        }
        // One binding per error label (C18).
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: "firebrick"
            text: vm.save.lastError || vm.load.lastError
        }
    }

    Connections {
        target: vm
        enabled: smoke
        function onNotesChanged() {
            vm.save.execute(target.text)
            Qt.exit(vm.notes.length === 2 && vm.save.lastError === "" ? 0 : 1)
        }
    }
    Component.onCompleted: if (smoke) vm.load.execute(folder.text)
}
