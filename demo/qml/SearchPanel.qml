// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The Search panel (design.md D1, D2): the files under a folder whose name contains a text, searched
    again once the typing pauses (the command's debounce, with Restart mode); by default under /usr/share. The Search button turns into
    Cancel while a search runs; Escape cancels it too.
*/
GroupBox {
    id: root

    required property SearchViewModel viewModel

    /*! The latest run, or null before the first. */
    readonly property ExecutionTask task: root.viewModel.search.executionTask
    /*! Whether there is something to search: a name and a folder that can be searched. */
    readonly property bool searchable: root.viewModel.text.length > 0 && root.viewModel.folderError.length === 0
    /*! Started, but not on a pool thread yet: the body reports its first progress once it is. */
    readonly property bool waiting: root.task !== null && root.task.status === AsyncStatus.Started
                                    && !root.task.hasProgress

    function plural(count: int, one: string, many: string): string {
        return count === 1 ? one : many.arg(count.toLocaleString(Qt.locale(), "f", 0));
    }

    title: qsTr("Search")
    Keys.onEscapePressed: root.viewModel.search.cancel()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("Files whose name contains the text, searched on the thread pool; a pause in typing restarts the search.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        GridLayout {
            columns: 2
            columnSpacing: 12
            rowSpacing: 6
            Layout.fillWidth: true

            Label {
                text: qsTr("Folder")
                font.bold: true
            }
            TextField {
                objectName: "folder"
                text: root.viewModel.folder
                placeholderText: qsTr("folder to search")
                selectByMouse: true
                Layout.fillWidth: true
                Layout.minimumWidth: 60
                onEditingFinished: root.viewModel.folder = text
            }

            Item {
                visible: folderError.visible
            }
            Label {
                id: folderError
                objectName: "folderError"
                text: root.viewModel.folderError
                visible: text.length > 0
                color: "firebrick"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("Name")
                font.bold: true
            }
            RowLayout {
                Layout.fillWidth: true

                TextField {
                    objectName: "name"
                    text: root.viewModel.text
                    placeholderText: qsTr("part of a file name")
                    selectByMouse: true
                    Layout.fillWidth: true
                    Layout.minimumWidth: 60
                    onTextEdited: root.viewModel.text = text
                }

                // Search again, or Cancel while a search runs (design.md Q3).
                CommandButton {
                    objectName: "search"
                    text: qsTr("Search")
                    command: root.viewModel.search
                    parameter: root.viewModel.text
                }
            }

            Label {
                text: qsTr("Status")
                font.bold: true
            }
            Label {
                objectName: "status"
                text: {
                    const scanned = root.viewModel.scanned;
                    const entries = root.plural(scanned, qsTr("1 entry"), qsTr("%1 entries"));
                    if (!root.searchable)
                        return root.viewModel.text.length === 0 ? qsTr("type a name") : "\u2013";
                    if (!root.task)
                        return "\u2013";
                    switch (root.task.status) {
                    case AsyncStatus.Started:
                        return root.waiting ? qsTr("waiting for a free thread") : qsTr("searching\u2026 %1").arg(entries);
                    case AsyncStatus.Completed:
                        return qsTr("%1 scanned").arg(entries);
                    case AsyncStatus.Canceled:
                        return root.task.isRunning ? qsTr("canceling\u2026") : qsTr("canceled after %1").arg(entries);
                    default:
                        return qsTr("failed");
                    }
                }
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("Found")
                font.bold: true
            }
            Label {
                objectName: "found"
                text: {
                    if (root.viewModel.text.length === 0)
                        return "\u2013";
                    const files = root.plural(root.viewModel.matchCount, qsTr("1 file"), qsTr("%1 files"));
                    return root.viewModel.hasMore ? qsTr("%1, the first %2 listed").arg(files)
                                                                                 .arg(root.viewModel.results.length)
                                                  : files;
                }
                // The counts of an older search, while a new one runs or after it was canceled.
                opacity: root.viewModel.resultsCurrent ? 1 : 0.4
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }

        Label {
            objectName: "error"
            text: root.task ? root.task.errorString : ""
            visible: root.searchable && root.task !== null && root.task.status === AsyncStatus.Error
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        Frame {
            padding: 1
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: resultList
                objectName: "results"
                anchors.fill: parent
                clip: true
                model: root.viewModel.results
                // The results of an older search, dimmed until the new one has completed.
                opacity: root.viewModel.resultsCurrent ? 1 : 0.4
                ScrollBar.vertical: ScrollBar {}

                Label {
                    anchors.centerIn: parent
                    visible: resultList.count === 0
                    text: qsTr("Matching files are listed here")
                    opacity: 0.6
                }

                delegate: Label {
                    required property string modelData
                    objectName: "resultLine"
                    width: ListView.view.width
                    padding: 4
                    leftPadding: 6
                    text: modelData
                    font.family: "monospace"
                    font.pixelSize: 11
                    elide: Text.ElideLeft
                }
            }
        }
    }
}
