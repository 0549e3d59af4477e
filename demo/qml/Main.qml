// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo

/*!
    The demo's window (design.md D1): one panel per workload, side by side in three columns. main.cpp creates the
    viewmodels and passes them in as required properties.
*/
ApplicationWindow {
    id: window

    required property PrimesViewModel primes
    required property FileHashViewModel fileHash
    required property SearchViewModel search

    width: 1400
    height: 700
    minimumWidth: 1000
    minimumHeight: 420
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
                text: qsTr("async commands with progress and cancel: the work runs on the thread pool, the window stays responsive")
                elide: Text.ElideRight
                opacity: 0.7
                Layout.fillWidth: true
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 12

        PrimesPanel {
            viewModel: window.primes
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }

        FileHashPanel {
            viewModel: window.fileHash
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }

        SearchPanel {
            viewModel: window.search
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
        }
    }
}
