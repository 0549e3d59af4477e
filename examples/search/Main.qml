// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKit

ApplicationWindow {
    width: 360
    height: 400
    visible: true
    title: "CommandKit: search as you type"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16

        RowLayout {
            TextField {
                id: query
                Layout.fillWidth: true
                placeholderText: "Search, e.g. 4711"
                onTextChanged: vm.search.execute(text)
            }
            BusyIndicator {
                implicitWidth: 24
                implicitHeight: 24
                running: vm.search.isRunning
            }
        }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: vm.hits
            delegate: Label { required property string modelData; text: modelData }
        }
    }

    // --smoke: type "4711" key by key; every keystroke restarts; quit when the last one's hits arrive.
    Connections {
        target: vm
        enabled: smoke
        function onHitsChanged() {
            if (!vm.search.isRunning || query.text === "4711")
                Qt.exit(vm.hits.length > 0 && vm.hits.every(h => h.includes("4711")) ? 0 : 1)
        }
    }
    Component.onCompleted: {
        if (smoke)
            for (const c of "4711")
                query.text += c
    }
}
