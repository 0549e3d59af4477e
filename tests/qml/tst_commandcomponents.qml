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

        function test_commandButtonShowsBusyAndCancels_Q3() {
            const indicator = findChild(commandButton, "busyIndicator");
            verify(indicator !== null);
            compare(indicator.running, false);
            compare(commandButton.cancels, false);
            mouseClick(commandButton);
            compare(vm.work.isRunning, true);
            compare(indicator.running, true);
            compare(commandButton.cancels, true, "a running cancelable command turns the button into Cancel");
            compare(commandButton.enabled, true);
            mouseClick(commandButton);
            tryCompare(vm.work, "isRunning", false, 5000);
            compare(vm.work.executionTask.status, AsyncStatus.Canceled);
            compare(vm.work.isCancellationRequested, true);
            compare(indicator.running, false);
            compare(commandButton.cancels, false);
        }
    }
}
