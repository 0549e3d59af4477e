// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CommandKitDemo
import CommandKit

/*!
    The Primes panel (design.md D1): is N prime, by trial division on the thread pool. Checks run in
    parallel, each in its own row with its own progress bar and cancel button.
*/
GroupBox {
    id: root

    required property PrimesViewModel viewModel

    title: qsTr("Primes")

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
                editable: true
                model: ["9223372036854775783", "1000000000000000003", "2147483649", "97"]
                Layout.fillWidth: true
                onAccepted: checkAction.trigger()
            }

            Button {
                action: CommandAction {
                    id: checkAction
                    text: qsTr("Check")
                    command: root.viewModel.check
                    parameter: numberBox.editText
                }
            }

            BusyIndicator {
                running: root.viewModel.check.isRunning
                Layout.preferredWidth: 32
                Layout.preferredHeight: 32
            }
        }

        Frame {
            padding: 1
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: checkList
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

                delegate: ItemDelegate {
                    id: row

                    required property int index
                    required property string input
                    required property real progress
                    required property int status
                    required property bool isRunning
                    required property string statusText
                    required property string resultText

                    width: ListView.view.width
                    highlighted: false

                    contentItem: ColumnLayout {
                        spacing: 4

                        RowLayout {
                            Layout.fillWidth: true

                            Label {
                                text: row.input
                                font.bold: true
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }

                            Label {
                                text: row.statusText
                                color: row.status === AsyncStatus.Error ? "firebrick" : palette.text
                                opacity: 0.8
                            }

                            ToolButton {
                                text: qsTr("Cancel")
                                enabled: row.isRunning && row.status === AsyncStatus.Started
                                onClicked: row.ListView.view.model.cancel(row.index)
                            }
                        }

                        ProgressBar {
                            value: row.progress
                            visible: row.status !== AsyncStatus.Error
                            Layout.fillWidth: true
                        }

                        Label {
                            text: row.resultText
                            visible: text.length > 0
                            color: row.status === AsyncStatus.Error ? "firebrick" : palette.text
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true

            Label {
                text: qsTr("%n check(s)", "", checkList.count)
                opacity: 0.7
                Layout.fillWidth: true
            }

            Button {
                action: CommandAction {
                    text: qsTr("Cancel all")
                    command: root.viewModel.check.cancelCommand
                }
            }

            Button {
                action: CommandAction {
                    text: qsTr("Remove finished")
                    command: root.viewModel.removeFinished
                }
            }
        }
    }
}
