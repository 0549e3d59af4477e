// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import CommandKit

/*!
    An Action that runs a command (design.md Q2): usable wherever Qt Quick Controls take an Action
    (Button.action, MenuItem.action, shortcut). `enabled` follows command.canExecuteWith(parameter)
    and is re-queried on every canExecuteChanged and whenever `parameter` changes.
*/
Action {
    id: root

    /*! The command to run; nothing runs and the action is disabled while it is null. */
    property Command command: null
    /*! The parameter passed to canExecuteWith() and execute(). */
    property var parameter: undefined

    enabled: {
        if (!root.command)
            return false;
        // canExecuteRevision changes with every canExecuteChanged ("re-query"), even when the value of
        // the bindable canExecute does not, so this binding asks canExecuteWith() again each time.
        void root.command.canExecuteRevision;
        return root.command.canExecuteWith(root.parameter);
    }

    onTriggered: {
        if (root.command)
            root.command.execute(root.parameter);
    }
}
