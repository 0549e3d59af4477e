// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import CommandKit
import CommandKitTest

// Q1: a plain Button and BusyIndicator bound to a command follow canExecute and isRunning.
Item {
    id: root
    width: 400
    height: 300

    TestViewModel {
        id: vm
    }

    Column {
        Button {
            id: runButton
            text: "Run"
            enabled: vm.work.canExecute
            onClicked: vm.work.execute()
        }
        BusyIndicator {
            id: spinner
            running: vm.work.isRunning
        }
        ProgressBar {
            id: bar
            value: vm.work.executionTask ? 1 : 0
        }
    }

    TestCase {
        name: "CommandBindings"
        when: windowShown

        function test_buttonAndBusyIndicatorFollowTheCommand_Q1() {
            compare(runButton.enabled, true);
            compare(spinner.running, false);
            compare(vm.work.executionTask, null);
            mouseClick(runButton);
            compare(vm.work.isRunning, true);
            compare(runButton.enabled, false, "Reject mode: canExecute is false while running");
            compare(spinner.running, true);
            verify(vm.work.executionTask !== null);
            compare(vm.work.executionTask.status, AsyncStatus.Started);
            tryCompare(vm.work, "isRunning", false, 5000);
            compare(runButton.enabled, true);
            compare(spinner.running, false);
            compare(vm.work.executionTask.status, AsyncStatus.Completed);
        }

        function test_enumsAreReachable_Q1() {
            compare(vm.work.concurrency, ConcurrencyMode.Reject);
            verify(AsyncStatus.Started !== AsyncStatus.Completed);
            compare(AsyncStatus.Canceled, 2);
            compare(ConcurrencyMode.Queue, 3);
        }

        function test_canExecuteFollowsABindableProperty_Q1() {
            vm.relayAllowed = false;
            compare(vm.relay.canExecute, false);
            vm.relayAllowed = true;
            compare(vm.relay.canExecute, true);
        }
    }
}
