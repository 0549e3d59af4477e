// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import CommandKit
import CommandKitTest

// C24 CompositeCommand and C25 CommandGroup from QML: a CommandButton runs and cancels a composite,
// and one BusyIndicator follows a group.
Item {
    id: root
    width: 400
    height: 300

    TestViewModel {
        id: vm
    }

    Column {
        CommandButton {
            id: allButton
            text: "Run all"
            command: vm.all
            busyDelay: 0
        }
        CommandButton {
            id: groupAsyncButton
            text: "Export"
            command: vm.groupAsync
        }
        CommandButton {
            id: groupSyncButton
            text: "Clear"
            command: vm.groupSync
        }
        BusyIndicator {
            id: groupSpinner
            running: vm.group.isRunning
        }
        Repeater {
            id: childList
            model: vm.all.commands
            Label {
                required property Command modelData
                text: modelData.objectName
            }
        }
    }

    TestCase {
        name: "CompositeCommand"
        when: windowShown

        function test_commandButtonRunsCompositeUntilEveryChildEnds_C24() {
            compare(allButton.enabled, true);
            mouseClick(allButton);
            compare(vm.all.isRunning, true);
            compare(vm.partA.isRunning, true);
            compare(vm.partB.isRunning, true);
            compare(allButton.busy, true);
            compare(allButton.cancels, true);
            vm.finishRuns();
            tryCompare(vm.all, "isRunning", false, 5000);
            compare(vm.all.executionTask.status, AsyncStatus.Completed);
            compare(allButton.busy, false);
            compare(allButton.enabled, true);
        }

        function test_commandButtonCancelsEveryChild_C24() {
            mouseClick(allButton);
            compare(vm.all.isRunning, true);
            const a = vm.partA.executionTask;
            const b = vm.partB.executionTask;
            mouseClick(allButton); // the same button cancels (Q3)
            compare(vm.all.executionTask.status, AsyncStatus.Canceled);
            compare(a.status, AsyncStatus.Canceled);
            compare(b.status, AsyncStatus.Canceled);
            // A canceled QFuture's run ends when its producer finishes (A15): until then all still runs.
            compare(vm.all.isRunning, true);
            vm.finishRuns();
            tryCompare(vm.all, "isRunning", false, 5000);
            compare(vm.all.executionTask.status, AsyncStatus.Canceled);
        }

        function test_childErrorsReachLastError_C24() {
            mouseClick(allButton);
            vm.failRuns();
            tryCompare(vm.all, "isRunning", false, 5000);
            compare(vm.all.lastError, "partA: async run failed\npartB: async run failed");
            vm.all.execute();
            compare(vm.all.lastError, "");
            vm.finishRuns();
            tryCompare(vm.all, "isRunning", false, 5000);
        }

        function test_commandsListIsBindable_C24() {
            compare(vm.all.commands.length, 2);
            verify(vm.all.commands[0] === vm.partA);
            compare(childList.count, 2);
            compare(childList.itemAt(1).text, "partB");
            verify(vm.all.unregisterCommand(vm.partB));
            compare(vm.all.commands.length, 1);
            compare(childList.count, 1);
            verify(vm.all.registerCommand(vm.partB));
            compare(childList.count, 2);
        }

        function test_groupSpinnerAndExclusion_C25() {
            compare(groupSpinner.running, false);
            compare(groupSyncButton.enabled, true);
            mouseClick(groupAsyncButton);
            compare(vm.group.isRunning, true);
            compare(groupSpinner.running, true);
            compare(groupSyncButton.enabled, false);
            compare(vm.groupSync.canExecute, false);
            const runs = vm.runs;
            vm.groupSync.execute(); // refused as in Reject mode
            compare(vm.runs, runs);
            vm.finishRuns();
            tryCompare(vm.group, "isRunning", false, 5000);
            compare(groupSpinner.running, false);
            compare(groupSyncButton.enabled, true);
            compare(vm.group.commands.length, 2);
        }
    }
}
