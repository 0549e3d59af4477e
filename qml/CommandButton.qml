// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import CommandKit

/*!
    A Button that runs its command (design.md Q3): enabled per command.canExecuteWith(parameter),
    shows a busy indicator once an AsyncRelayCommand has run for busyDelay ms, and turns into a cancel
    button while the command canBeCanceled. Its size never changes with its state: the indicator's place
    is kept for every asynchronous command and the label is as wide as the wider of text and cancelText.
    Enter and Return press a focused button like Space; cancelKey (Escape) cancels from it.
*/
Button {
    id: root

    /*! The command to run. */
    property Command command: null
    /*! The parameter passed to canExecuteWith() and execute(). */
    property var parameter: undefined
    /*! The text shown while the button cancels the running command. */
    property string cancelText: qsTr("Cancel")
    /*!
        How long (ms) a run must last before the busy indicator appears; 0 shows it at once. A run that
        ends sooner never shows it, so an instant run neither flickers nor starts an animation.
    */
    property int busyDelay: 200
    /*! The key that cancels the running command while the button has active focus; 0 for none. */
    property int cancelKey: Qt.Key_Escape

    /*! The command as an AsyncRelayCommand, or null for a synchronous one. */
    readonly property AsyncRelayCommand asyncCommand: root.command as AsyncRelayCommand
    /*! Whether the command is running. */
    readonly property bool busy: root.asyncCommand !== null && root.asyncCommand.isRunning
    /*! Whether the busy indicator is shown: the command has been running for at least busyDelay ms. */
    readonly property bool busyShown: root.busy && (root.busyDelay <= 0 || busyTimer.elapsed)
    /*! Whether a click cancels instead of executing. */
    readonly property bool cancels: root.asyncCommand !== null && root.asyncCommand.canBeCanceled

    /*! Cancels the running command if it can be canceled, otherwise executes it with parameter. */
    function trigger() {
        if (root.cancels)
            root.asyncCommand.cancel();
        else if (root.command)
            root.command.execute(root.parameter);
    }

    enabled: {
        if (root.cancels)
            return true;
        if (!root.command)
            return false;
        // canExecuteRevision changes with every canExecuteChanged ("re-query"), even when the value of
        // the bindable canExecute does not, so this binding asks canExecuteWith() again each time.
        void root.command.canExecuteRevision;
        return root.command.canExecuteWith(root.parameter);
    }

    // Every run starts its own wait of busyDelay ms.
    onBusyChanged: busyTimer.elapsed = false

    onClicked: root.trigger()
    Keys.onReturnPressed: root.trigger()
    Keys.onEnterPressed: root.trigger()
    Keys.onPressed: event => {
        if (root.cancelKey !== 0 && event.key === root.cancelKey && root.cancels) {
            root.asyncCommand.cancel();
            event.accepted = true;
        }
    }

    Timer {
        id: busyTimer

        property bool elapsed: false

        interval: root.busyDelay
        running: root.busy && root.busyDelay > 0 && !busyTimer.elapsed
        onTriggered: busyTimer.elapsed = true
    }

    // Both texts' widths, so the label keeps one width whether it shows text or cancelText.
    TextMetrics {
        id: textMetrics
        font: root.font
        text: root.text
    }
    TextMetrics {
        id: cancelMetrics
        font: root.font
        text: root.cancelText
    }

    // No ids in here: contentItem is a deferred property, and an id would make it immediate.
    contentItem: Item {
        implicitWidth: children[0].implicitWidth
        implicitHeight: children[0].implicitHeight

        Row {
            anchors.centerIn: parent
            spacing: 6

            Item {
                // The indicator's place, kept for every asynchronous command so the button never resizes.
                visible: root.asyncCommand !== null
                width: 20
                height: 20
                anchors.verticalCenter: parent.verticalCenter

                // Made only while shown: no animation can outlive the run.
                Loader {
                    anchors.fill: parent
                    active: root.busyShown
                    sourceComponent: BusyIndicator {
                        objectName: "busyIndicator"
                        running: true
                    }
                }
            }

            Label {
                width: Math.ceil(Math.max(textMetrics.advanceWidth, cancelMetrics.advanceWidth))
                horizontalAlignment: Text.AlignHCenter
                text: root.cancels ? root.cancelText : root.text
                font: root.font
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
