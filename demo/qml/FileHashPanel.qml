// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The File hash panel (design.md D1, D2): the SHA-256 of any file, with progress in bytes and
    cancel; by default the demo's own executable.
*/
GroupBox {
    id: root

    required property FileHashViewModel viewModel

    /*! The latest run, or null before the first. */
    readonly property ExecutionTask task: root.viewModel.hash.executionTask
    /*! The latest run's progress in bytes (a hashProgress), or undefined. */
    readonly property var progress: root.task ? root.task.progress : undefined

    title: qsTr("File hash")

    function formatBytes(bytes: real): string {
        if (bytes >= 1 << 20)
            return qsTr("%1 MiB").arg((bytes / (1 << 20)).toFixed(1));
        if (bytes >= 1 << 10)
            return qsTr("%1 KiB").arg((bytes / (1 << 10)).toFixed(1));
        return qsTr("%1 bytes").arg(bytes);
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("SHA-256 of any file, read in 1 MiB chunks on the thread pool, as sha256sum prints it.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true

            TextField {
                text: root.viewModel.path
                placeholderText: qsTr("path of a file")
                selectByMouse: true
                Layout.fillWidth: true
                onTextEdited: root.viewModel.path = text
                onAccepted: root.viewModel.hash.execute()
            }

            CommandButton {
                text: qsTr("Hash")
                command: root.viewModel.hash
            }
        }

        ProgressBar {
            value: root.progress ? root.progress.fraction : 0
            Layout.fillWidth: true
        }

        GridLayout {
            columns: 2
            columnSpacing: 12
            rowSpacing: 6
            Layout.fillWidth: true

            Label {
                text: qsTr("Status")
                font.bold: true
            }
            Label {
                text: {
                    if (!root.task)
                        return qsTr("not hashed yet");
                    switch (root.task.status) {
                    case AsyncStatus.Started:
                        return qsTr("hashing\u2026");
                    case AsyncStatus.Completed:
                        return qsTr("done");
                    case AsyncStatus.Canceled:
                        return root.task.isRunning ? qsTr("canceling\u2026") : qsTr("canceled");
                    default:
                        return qsTr("failed");
                    }
                }
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("Read")
                font.bold: true
            }
            Label {
                text: root.progress ? qsTr("%1 of %2").arg(root.formatBytes(root.progress.bytesDone))
                                                      .arg(root.formatBytes(root.progress.bytesTotal)) : "\u2013"
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("SHA-256")
                font.bold: true
            }
            TextArea {
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.WrapAnywhere
                text: root.task && root.task.status === AsyncStatus.Completed ? root.task.result : ""
                placeholderText: qsTr("the digest appears here")
                font.family: "monospace"
                Layout.fillWidth: true
            }
        }

        Label {
            text: root.task ? root.task.errorString : ""
            visible: root.task !== null && root.task.status === AsyncStatus.Error
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        Label {
            text: qsTr("Recent")
            font.bold: true
            topPadding: 8
        }

        Frame {
            padding: 1
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: historyList
                anchors.fill: parent
                clip: true
                model: root.viewModel.history
                ScrollBar.vertical: ScrollBar {}

                Label {
                    anchors.centerIn: parent
                    visible: historyList.count === 0
                    text: qsTr("Finished runs are listed here")
                    opacity: 0.6
                }

                delegate: Label {
                    required property string modelData
                    width: ListView.view.width
                    padding: 6
                    text: modelData
                    font.family: "monospace"
                    font.pixelSize: 11
                    elide: Text.ElideMiddle
                }
            }
        }
    }
}
