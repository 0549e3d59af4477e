// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The Primes panel (design.md D1): is N prime, by trial division on the thread pool. Checks run in
    parallel, each in its own row with its own progress bar and cancel button. Escape cancels them all.
*/
GroupBox {
    id: root

    required property PrimesViewModel viewModel

    /*! Why the number typed cannot be checked, or an empty string. */
    readonly property string inputError: root.viewModel.inputError(numberBox.editText)

    title: qsTr("Primes")
    Keys.onEscapePressed: cancelAllAction.trigger()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("Is N prime? Trial division up to \u221aN on the thread pool. Type a number or pick one; start several checks: they run in parallel, each with its own progress and cancel.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true

            ComboBox {
                id: numberBox
                objectName: "number"
                editable: true
                model: ["9223372036854775783", "1000000000000000003", "2147483649", "97"]
                Layout.fillWidth: true
                Layout.minimumWidth: 100
                onAccepted: checkAction.trigger()
            }

            Button {
                objectName: "check"
                action: CommandAction {
                    id: checkAction
                    text: qsTr("Check")
                    command: root.viewModel.check
                    parameter: numberBox.editText
                }
            }
        }

        Label {
            objectName: "numberHint"
            text: root.inputError.length > 0 ? root.inputError
                                             : qsTr("a whole number from 2 to 2\u2076\u00b3 \u2212 1")
            color: root.inputError.length > 0 ? "firebrick" : root.palette.text
            opacity: root.inputError.length > 0 ? 1 : 0.6
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        Frame {
            padding: 1
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: checkList
                objectName: "checks"
                anchors.fill: parent
                clip: true
                model: root.viewModel.checks
                ScrollBar.vertical: ScrollBar {}

                Label {
                    anchors.centerIn: parent
                    visible: checkList.count === 0
                    text: qsTr("No checks yet")
                    opacity: 0.6
                }

                // Every row has the same height in every state, so no row moves when another one ends.
                delegate: Item {
                    id: row

                    required property int index
                    required property string input
                    required property real progress
                    required property int status
                    required property bool isRunning
                    required property bool waiting
                    required property string statusText
                    required property string resultText

                    readonly property bool canceled: row.status === AsyncStatus.Canceled
                    readonly property bool failed: row.status === AsyncStatus.Error
                    readonly property bool checking: row.status === AsyncStatus.Started && !row.waiting

                    objectName: "checkRow"
                    width: ListView.view.width
                    implicitHeight: rowLayout.implicitHeight + 12

                    ColumnLayout {
                        id: rowLayout
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.leftMargin: 8
                        anchors.rightMargin: 4
                        spacing: 2

                        // The number, then what the run is doing or did, and Cancel while it can cancel.
                        // The same height with or without the button.
                        RowLayout {
                            Layout.fillWidth: true
                            Layout.minimumHeight: cancelButton.implicitHeight

                            Label {
                                objectName: "input"
                                text: row.input
                                font.bold: true
                                font.strikeout: row.canceled
                                opacity: row.canceled ? 0.6 : 1
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }

                            // "waiting", "canceling", "canceled", "done", "error"; the bar below says "checking".
                            Label {
                                objectName: "status"
                                text: row.statusText
                                visible: !row.checking
                                color: row.failed ? "firebrick" : row.palette.text
                                font.italic: row.waiting || row.canceled
                                opacity: 0.8
                            }

                            ToolButton {
                                id: cancelButton
                                objectName: "cancel"
                                text: qsTr("Cancel")
                                visible: row.status === AsyncStatus.Started
                                onClicked: row.ListView.view.model.cancel(row.index)
                            }
                        }

                        // The bar while the check runs, a text before and after, in a space of the same
                        // height: one line, two in a narrow panel, where a long answer wraps.
                        Item {
                            Layout.fillWidth: true
                            Layout.preferredHeight: Math.max(bar.implicitHeight,
                                                             (row.width < 400 ? 2 : 1) * resultMetrics.height)

                            FontMetrics {
                                id: resultMetrics
                                font: result.font
                            }

                            RowLayout {
                                anchors.left: parent.left
                                anchors.right: parent.right
                                anchors.verticalCenter: parent.verticalCenter
                                visible: row.checking

                                ProgressBar {
                                    id: bar
                                    objectName: "bar"
                                    value: row.progress
                                    Layout.fillWidth: true
                                }

                                Label {
                                    objectName: "percent"
                                    text: qsTr("%1%").arg(Math.floor(row.progress * 100))
                                    opacity: 0.8
                                }
                            }

                            Label {
                                id: result
                                objectName: "result"
                                anchors.left: parent.left
                                anchors.right: parent.right
                                anchors.verticalCenter: parent.verticalCenter
                                visible: !row.checking
                                text: row.resultText
                                color: row.failed ? "firebrick" : row.palette.text
                                opacity: row.canceled || row.waiting ? 0.6 : 1
                                font.italic: row.canceled || row.waiting
                                wrapMode: Text.Wrap
                                maximumLineCount: row.width < 400 ? 2 : 1
                                elide: Text.ElideRight
                            }
                        }
                    }
                }
            }
        }

        Flow {
            spacing: 6
            Layout.fillWidth: true

            Label {
                objectName: "checkCount"
                text: checkList.count === 1 ? qsTr("1 check") : qsTr("%L1 checks").arg(checkList.count)
                opacity: 0.7
                height: cancelAllButton.height
                verticalAlignment: Text.AlignVCenter
                rightPadding: 6
            }

            Button {
                id: cancelAllButton
                objectName: "cancelAll"
                action: CommandAction {
                    id: cancelAllAction
                    text: qsTr("Cancel all")
                    command: root.viewModel.check.cancelCommand
                }
            }

            Button {
                objectName: "removeFinished"
                action: CommandAction {
                    text: qsTr("Remove finished")
                    command: root.viewModel.removeFinished
                }
            }
        }
    }
}
