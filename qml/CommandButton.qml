// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import CommandKit

/*!
    A Button that runs its command (design.md Q3): enabled per command.canExecuteWith(parameter),
    shows a busy indicator while an AsyncRelayCommand runs, and turns into a cancel button while the
    command canBeCanceled.
*/
Button {
    id: root

    /*! The command to run. */
    property Command command: null
    /*! The parameter passed to canExecuteWith() and execute(). */
    property var parameter: undefined
    /*! The text shown while the button cancels the running command. */
    property string cancelText: qsTr("Cancel")

    /*! The command as an AsyncRelayCommand, or null for a synchronous one. */
    readonly property AsyncRelayCommand asyncCommand: root.command as AsyncRelayCommand
    /*! Whether the command is running. */
    readonly property bool busy: root.asyncCommand !== null && root.asyncCommand.isRunning
    /*! Whether a click cancels instead of executing. */
    readonly property bool cancels: root.asyncCommand !== null && root.asyncCommand.canBeCanceled

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

    contentItem: Row {
        spacing: 6

        // No ids in here: contentItem is a deferred property, and an id would make it immediate.
        BusyIndicator {
            objectName: "busyIndicator"
            running: root.busy
            visible: root.busy
            width: 20
            height: 20
            anchors.verticalCenter: parent.verticalCenter
        }

        Label {
            text: root.cancels ? root.cancelText : root.text
            font: root.font
            anchors.verticalCenter: parent.verticalCenter
        }
    }

    onClicked: {
        if (root.cancels)
            root.asyncCommand.cancel();
        else if (root.command)
            root.command.execute(root.parameter);
    }
}
