// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The File hash panel (design.md D1, D2): the SHA-256 of any file, with progress in bytes and
    cancel; by default the demo's own executable. Escape cancels the hash.
*/
GroupBox {
    id: root

    required property FileHashViewModel viewModel

    /*! The latest run, or null before the first. */
    readonly property ExecutionTask task: root.viewModel.hash.executionTask
    /*! The latest run's progress in bytes (a hashProgress: all 0 until the first report), or undefined before the first run. */
    readonly property var progress: root.task ? root.task.progress : undefined
    /*! Whether the latest run is running. */
    readonly property bool running: root.task !== null && root.task.status === AsyncStatus.Started
    /*! Started, but not on a pool thread yet: the body reports its first progress once it is. */
    readonly property bool waiting: root.running && !root.task.hasProgress
    /*! Whether the file's size is known (not a device, a pipe or a file of /proc). */
    readonly property bool sizeKnown: root.task !== null && root.task.hasProgress && root.progress.sizeKnown

    title: qsTr("File hash")
    Keys.onEscapePressed: cancelAction.trigger()

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
                objectName: "path"
                text: root.viewModel.path
                placeholderText: qsTr("path of a file")
                selectByMouse: true
                Layout.fillWidth: true
                Layout.minimumWidth: 60
                onTextEdited: root.viewModel.path = text
                onAccepted: hashAction.trigger()
            }

            // Two buttons: pressing Hash twice never cancels, pressing Cancel never starts.
            Button {
                objectName: "hash"
                action: CommandAction {
                    id: hashAction
                    text: qsTr("Hash")
                    command: root.viewModel.hash
                }
            }

            Button {
                objectName: "cancel"
                action: CommandAction {
                    id: cancelAction
                    text: qsTr("Cancel")
                    command: root.viewModel.hash.cancelCommand
                }
            }
        }

        ProgressBar {
            objectName: "bar"
            value: {
                if (root.task && root.task.status === AsyncStatus.Completed)
                    return 1;
                return root.running && root.sizeKnown ? root.progress.fraction : 0;
            }
            // A file of unknown size: the bar moves, the byte count below grows.
            indeterminate: root.running && !root.waiting && !root.sizeKnown
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
                objectName: "status"
                text: {
                    if (!root.task)
                        return qsTr("not hashed yet");
                    switch (root.task.status) {
                    case AsyncStatus.Started:
                        return root.waiting ? qsTr("waiting for a free thread") : qsTr("hashing\u2026");
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
                objectName: "read"
                text: {
                    if (root.progress === undefined)
                        return "\u2013";
                    const done = root.formatBytes(root.progress.bytesDone);
                    if (!root.sizeKnown)
                        return qsTr("%1, size unknown").arg(done);
                    return qsTr("%1 of %2 (%3%)").arg(done).arg(root.formatBytes(root.progress.bytesTotal))
                                                 .arg(Math.floor(root.progress.fraction * 100));
                }
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("SHA-256")
                font.bold: true
            }
            // Selectable, but no tab stop: it has no focus frame to show one.
            TextArea {
                objectName: "digest"
                readOnly: true
                activeFocusOnTab: false
                selectByMouse: true
                wrapMode: TextEdit.WrapAnywhere
                text: root.task && root.task.status === AsyncStatus.Completed ? root.task.result : ""
                placeholderText: qsTr("the digest appears here")
                font.family: "monospace"
                Layout.fillWidth: true
            }
        }

        Label {
            objectName: "error"
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
                objectName: "history"
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
                    objectName: "historyLine"
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
