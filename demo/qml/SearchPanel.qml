// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The Search panel (design.md D1, D2): the files under a folder whose name contains a text, searched
    again on every keystroke (Restart mode); by default under /usr/share.
*/
GroupBox {
    id: root

    required property SearchViewModel viewModel

    /*! The latest run, or null before the first. */
    readonly property ExecutionTask task: root.viewModel.search.executionTask

    title: qsTr("Search")

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("Files whose name contains the text, searched on the thread pool; every keystroke restarts the search.")
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
                text: root.viewModel.folder
                placeholderText: qsTr("folder to search")
                selectByMouse: true
                Layout.fillWidth: true
                onEditingFinished: root.viewModel.folder = text
            }

            Label {
                text: qsTr("Name")
                font.bold: true
            }
            RowLayout {
                Layout.fillWidth: true

                TextField {
                    text: root.viewModel.text
                    placeholderText: qsTr("part of a file name")
                    selectByMouse: true
                    Layout.fillWidth: true
                    onTextEdited: root.viewModel.text = text
                }

                BusyIndicator {
                    running: root.viewModel.search.isRunning
                    Layout.preferredWidth: 28
                    Layout.preferredHeight: 28
                }
            }

            Label {
                text: qsTr("Scanned")
                font.bold: true
            }
            Label {
                text: {
                    const scanned = root.task && root.task.progress !== undefined ? root.task.progress : 0;
                    return root.viewModel.search.isRunning ? qsTr("%1 entries\u2026").arg(scanned)
                                                           : qsTr("%1 entries").arg(scanned);
                }
                Layout.fillWidth: true
            }

            Label {
                text: qsTr("Found")
                font.bold: true
            }
            Label {
                text: root.viewModel.hasMore ? qsTr("%1 files, the first %2 listed").arg(root.viewModel.matchCount)
                                                                                  .arg(root.viewModel.results.length)
                                             : qsTr("%1 files").arg(root.viewModel.matchCount)
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

        Frame {
            padding: 1
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: resultList
                anchors.fill: parent
                clip: true
                model: root.viewModel.results
                ScrollBar.vertical: ScrollBar {}

                Label {
                    anchors.centerIn: parent
                    visible: resultList.count === 0
                    text: qsTr("Matching files are listed here")
                    opacity: 0.6
                }

                delegate: Label {
                    required property string modelData
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
