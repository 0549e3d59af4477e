// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Templates as T
import CommandKitDemo

/*!
    The demo's window (design.md D1): one panel per workload, side by side in three columns. main.cpp creates the
    viewmodels and passes them in as required properties. Space (Qt's own) and Enter press the focused
    button; Escape cancels the work of the focused panel.
*/
ApplicationWindow {
    id: window

    required property PrimesViewModel primes
    required property FileHashViewModel fileHash
    required property SearchViewModel search

    width: 1400
    height: 800
    minimumWidth: 900
    minimumHeight: 480
    visible: true
    title: qsTr("CommandKit demo")

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12

            Label {
                text: qsTr("CommandKit demo")
                font.bold: true
                font.pixelSize: 16
            }
            Label {
                objectName: "subtitle"
                text: qsTr("async commands with progress and cancel: the work runs on the thread pool, the window stays responsive")
                elide: Text.ElideRight
                opacity: 0.7
                Layout.fillWidth: true
            }
        }
    }

    /*! Enter and Return press the focused button, as Space does; other keys go on. */
    function pressFocusedButton(event: KeyEvent) {
        const button = window.activeFocusItem as T.AbstractButton;
        if (!button || !button.enabled) {
            event.accepted = false;
            return;
        }
        if (button.action)
            button.action.trigger(button);
        else
            button.clicked();
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 12

        Keys.onReturnPressed: event => window.pressFocusedButton(event)
        Keys.onEnterPressed: event => window.pressFocusedButton(event)

        PrimesPanel {
            objectName: "primesPanel"
            viewModel: window.primes
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }

        FileHashPanel {
            objectName: "hashPanel"
            viewModel: window.fileHash
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }

        SearchPanel {
            objectName: "searchPanel"
            viewModel: window.search
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }
    }
}
