// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import CommandKit
import CommandKitTest

// Q2 CommandAction and Q3 CommandButton.
Item {
    id: root
    width: 400
    height: 300

    TestViewModel {
        id: vm
        workMs: 60000
    }

    Column {
        Button {
            id: actionButton
            action: CommandAction {
                id: relayAction
                text: "Relay"
                command: vm.relay
            }
        }
        Button {
            id: typedButton
            action: CommandAction {
                id: typedAction
                text: "Typed"
                command: vm.typed
                parameter: 5
            }
        }
        CommandButton {
            id: commandButton
            text: "Work"
            command: vm.work
        }
    }

    TestCase {
        name: "CommandComponents"
        when: windowShown

        function test_actionFollowsCanExecute_Q2() {
            vm.relayAllowed = false;
            compare(relayAction.enabled, false);
            compare(actionButton.enabled, false);
            vm.relayAllowed = true;
            compare(relayAction.enabled, true);
            const before = vm.relayCount;
            mouseClick(actionButton);
            compare(vm.relayCount, before + 1);
        }

        function test_actionRequeriesWhenTheParameterChanges_Q2() {
            typedAction.parameter = 5;
            compare(typedAction.enabled, true);
            typedAction.parameter = -1;
            compare(typedAction.enabled, false, "the predicate refuses non-positive values");
            typedAction.parameter = "not a number";
            compare(typedAction.enabled, false, "a wrong type is never executable");
            typedAction.parameter = 7;
            compare(typedAction.enabled, true);
            mouseClick(typedButton);
            compare(vm.lastTyped, 7);
        }

        function test_wrongParameterTypeRaisesAJavaScriptError_C4() {
            const before = vm.lastTyped;
            let message = "";
            try {
                vm.typed.execute("not a number");
            } catch (e) {
                message = e.message;
            }
            verify(message.indexOf("int") >= 0, "the error names the expected type: " + message);
            verify(message.indexOf("QString") >= 0, "the error names the received type: " + message);
            compare(vm.lastTyped, before, "the delegate never ran");
            vm.typed.execute(9);
            compare(vm.lastTyped, 9);
        }

        function init() {
            vm.workMs = 60000;
            commandButton.busyDelay = 200;
        }

        function cleanup() {
            if (vm.work.isRunning)
                vm.work.cancel();
            tryCompare(vm.work, "isRunning", false, 5000);
        }

        function test_commandButtonShowsBusyAndCancels_Q3() {
            commandButton.busyDelay = 0;
            compare(findChild(commandButton, "busyIndicator"), null, "no indicator exists while idle");
            compare(commandButton.cancels, false);
            mouseClick(commandButton);
            compare(vm.work.isRunning, true);
            compare(commandButton.busyShown, true, "busyDelay 0 shows the indicator at once");
            tryVerify(() => findChild(commandButton, "busyIndicator") !== null, 5000);
            compare(findChild(commandButton, "busyIndicator").running, true);
            compare(commandButton.cancels, true, "a running cancelable command turns the button into Cancel");
            compare(commandButton.enabled, true);
            mouseClick(commandButton);
            tryCompare(vm.work, "isRunning", false, 5000);
            compare(vm.work.executionTask.status, AsyncStatus.Canceled);
            compare(vm.work.isCancellationRequested, true);
            compare(commandButton.busyShown, false);
            tryCompare(commandButton, "cancels", false);
            tryVerify(() => findChild(commandButton, "busyIndicator") === null, 5000,
                      "the indicator is gone with the run: no animation outlives it");
        }

        function test_busyIndicatorAppearsOnlyAfterBusyDelay_Q3() {
            const started = Date.now();
            mouseClick(commandButton);
            compare(vm.work.isRunning, true);
            compare(commandButton.busyShown, false, "not shown before busyDelay");
            compare(findChild(commandButton, "busyIndicator"), null);
            tryCompare(commandButton, "busyShown", true, 5000);
            verify(Date.now() - started >= 190, "shown after about busyDelay, not before");
            verify(findChild(commandButton, "busyIndicator") !== null);
        }

        function test_instantRunNeverShowsTheIndicator_Q3() {
            vm.workMs = 0;
            let shown = false;
            const watch = () => shown = shown || commandButton.busyShown;
            commandButton.busyShownChanged.connect(watch);
            const before = vm.work.executionTask;
            mouseClick(commandButton);
            tryVerify(() => vm.work.executionTask !== before && !vm.work.isRunning, 5000);
            commandButton.busyShownChanged.disconnect(watch);
            compare(shown, false, "a run shorter than busyDelay never shows the indicator");
            compare(findChild(commandButton, "busyIndicator"), null);
        }

        function test_sizeStaysTheSameIdleBusyAndCanceling_Q3() {
            commandButton.busyDelay = 0;
            const width = commandButton.implicitWidth;
            const height = commandButton.implicitHeight;
            mouseClick(commandButton);
            tryVerify(() => findChild(commandButton, "busyIndicator") !== null, 5000);
            compare(commandButton.cancels, true);
            compare(commandButton.implicitWidth, width, "the indicator and the cancel text take no extra room");
            compare(commandButton.implicitHeight, height);
            vm.work.cancel();
            tryCompare(vm.work, "isRunning", false, 5000);
            compare(commandButton.implicitWidth, width);
            compare(commandButton.implicitHeight, height);
        }

        function test_escapeCancelsFromAFocusedButton_Q3() {
            commandButton.forceActiveFocus();
            keyClick(Qt.Key_Escape);
            compare(vm.work.isRunning, false, "Escape on an idle button does nothing");
            keyClick(Qt.Key_Return);
            compare(vm.work.isRunning, true, "Return presses a focused button");
            keyClick(Qt.Key_Escape);
            compare(vm.work.isCancellationRequested, true, "Escape cancels the running command");
            tryCompare(vm.work, "isRunning", false, 5000);
            compare(vm.work.executionTask.status, AsyncStatus.Canceled);
        }
    }
}
