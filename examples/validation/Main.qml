// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKit

ApplicationWindow {
    width: 360
    height: 180
    visible: true
    title: "CommandKit: typed parameter"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16

        TextField {
            id: name
            Layout.fillWidth: true
            placeholderText: "User name (3 or more letters, no spaces)"
        }
        // Enabled only while the text passes the command's predicate and no save runs.
        CommandButton {
            id: save
            text: "Save"
            command: vm.save
            parameter: name.text
        }
        Label { text: vm.savedName ? "Saved as " + vm.savedName : "Not saved yet" }
        Label {
            id: error
            color: "firebrick"
            // Cleared when a run starts, set when one fails.
            Connections {
                target: vm.save
                function onIsRunningChanged() { if (vm.save.isRunning) error.text = "" }
                function onErrorOccurred(message) { error.text = message }
            }
        }
    }

    // --smoke: a name the predicate refuses, then one it accepts; quit when it is saved.
    Connections {
        target: vm
        enabled: smoke
        function onSavedNameChanged() { Qt.exit(vm.savedName === "ada" && !save.command.canExecuteWith("a b") ? 0 : 1) }
    }
    Component.onCompleted: {
        if (!smoke)
            return
        name.text = "x"
        if (save.enabled)
            Qt.exit(1)
        name.text = "ada"
        save.clicked()
    }
}
