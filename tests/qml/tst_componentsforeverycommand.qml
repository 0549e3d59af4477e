// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import CommandKit
import CommandKitTest

// Q2 CommandAction and Q3 CommandButton for every kind of command: synchronous and asynchronous, without a
// parameter and with a QString one, in every concurrency mode; and a plain binding on canExecuteRevision
// (C3, C14: a re-query reaches every binding).
Item {
    id: root
    width: 400
    height: 300

    TestViewModel {
        id: vm
    }

    Component {
        id: commandButtonComponent
        CommandButton {
            text: "Run"
        }
    }

    Component {
        id: actionButtonComponent
        Button {
            id: actionButton
            property alias command: commandAction.command
            property alias parameter: commandAction.parameter
            action: CommandAction {
                id: commandAction
                text: "Run"
            }
        }
    }

    // The pattern for user bindings: depend on every re-query, then ask with the parameter.
    Item {
        id: plain
        property Command command: vm.asyncText
        property var parameter: "ok"
        property bool canRun: plain.command.canExecuteRevision, plain.command.canExecuteWith(plain.parameter)
    }

    TestCase {
        name: "ComponentsForEveryCommand"
        when: windowShown

        function commandNamed(name) {
            return vm[name];
        }

        function init() {
            vm.finishRuns();
            vm.failSync = false;
            vm.setBlockedWord("blocked");
            for (const name of ["async", "asyncText"])
                vm[name].concurrency = ConcurrencyMode.Reject;
            for (const name of ["sync", "syncText", "async", "asyncText"])
                vm[name].notifyCanExecuteChanged();
        }

        function cleanup() {
            vm.finishRuns();
            tryVerify(() => !vm.async.isRunning && !vm.asyncText.isRunning, 5000);
        }

        function makeItem(kind, name, parameter) {
            const component = kind === "CommandButton" ? commandButtonComponent : actionButtonComponent;
            const item = createTemporaryObject(component, root, {
                command: commandNamed(name),
                parameter: parameter
            });
            verify(item !== null);
            return item;
        }

        function modes() {
            return [["Reject", ConcurrencyMode.Reject], ["Parallel", ConcurrencyMode.Parallel],
                    ["Restart", ConcurrencyMode.Restart], ["Queue", ConcurrencyMode.Queue]];
        }

        // What the item must show: CommandButton is the Cancel button while the command canBeCanceled;
        // otherwise both follow canExecuteWith(parameter), i.e. the predicate and, in Reject mode, a run.
        function expectedEnabled(kind, command, parameter, typed) {
            const asyncCommand = command.isRunning !== undefined;
            if (kind === "CommandButton" && asyncCommand && command.canBeCanceled)
                return true;
            if (asyncCommand && command.concurrency === ConcurrencyMode.Reject && command.isRunning)
                return false;
            return !typed || (parameter !== "" && parameter !== "blocked");
        }

        function test_asyncCommand_Q2_Q3_data() {
            const rows = [];
            for (const kind of ["CommandButton", "CommandAction"]) {
                for (const name of ["async", "asyncText"]) {
                    for (const [modeName, mode] of modes())
                        rows.push({tag: kind + " " + name + " " + modeName, kind: kind, name: name, mode: mode});
                }
            }
            return rows;
        }

        function test_asyncCommand_Q2_Q3(data) {
            const command = commandNamed(data.name);
            const typed = data.name === "asyncText";
            command.concurrency = data.mode;
            const item = makeItem(data.kind, data.name, "ok");
            const check = (what) => compare(item.enabled, expectedEnabled(data.kind, command, item.parameter, typed),
                                            what);

            check("before a run");
            compare(item.enabled, true);

            // A run that completes.
            mouseClick(item);
            compare(command.isRunning, true);
            check("during a run");
            if (data.kind === "CommandAction")
                compare(item.enabled, data.mode !== ConcurrencyMode.Reject, "Reject refuses a second run");
            if (typed) {
                item.parameter = "blocked";
                check("parameter refused mid-run");
                item.parameter = "ok";
                check("parameter accepted again mid-run");
            }
            vm.finishRuns();
            tryCompare(command, "isRunning", false, 5000);
            check("after the run");
            compare(item.enabled, true);

            // A run that fails.
            const errors = vm.errors;
            mouseClick(item);
            compare(command.isRunning, true);
            vm.failRuns();
            tryCompare(command, "isRunning", false, 5000);
            compare(command.executionTask.status, AsyncStatus.Error);
            compare(vm.errors, errors + 1);
            check("after an error");
            compare(item.enabled, true);

            // A run that is canceled: the body ends only when the test lets it.
            mouseClick(item);
            compare(command.isRunning, true);
            command.cancel();
            compare(command.canBeCanceled, false);
            check("canceled, body still running");
            vm.finishRuns();
            tryCompare(command, "isRunning", false, 5000);
            compare(command.executionTask.status, AsyncStatus.Canceled);
            check("after the cancel");
            compare(item.enabled, true);

            if (typed) {
                item.parameter = "blocked";
                check("refused parameter");
                compare(item.enabled, false);
                item.parameter = "";
                compare(item.enabled, false, "the predicate refuses QString{}");
            }
        }

        function test_syncCommand_Q2_Q3_data() {
            const rows = [];
            for (const kind of ["CommandButton", "CommandAction"]) {
                for (const name of ["sync", "syncText"])
                    rows.push({tag: kind + " " + name, kind: kind, name: name});
            }
            return rows;
        }

        function test_syncCommand_Q2_Q3(data) {
            const command = commandNamed(data.name);
            const typed = data.name === "syncText";
            const item = makeItem(data.kind, data.name, "ok");
            compare(item.enabled, true, "before a run");
            const runs = vm.runs;
            mouseClick(item);
            compare(vm.runs, runs + 1);
            compare(item.enabled, true, "after a run");

            vm.failSync = true;
            const errors = vm.errors;
            mouseClick(item);
            compare(vm.errors, errors + 1);
            compare(item.enabled, true, "after an error");
            vm.failSync = false;

            if (typed) {
                item.parameter = "blocked";
                compare(item.enabled, false, "a refused parameter");
                mouseClick(item);
                compare(vm.runs, runs + 2, "a disabled item runs nothing");
                item.parameter = "other";
                compare(item.enabled, true);
                // A non-bindable input: only notifyCanExecuteChanged() tells the item to ask again.
                vm.setBlockedWord("other");
                compare(item.enabled, true, "nobody asked again yet");
                command.notifyCanExecuteChanged();
                compare(item.enabled, false, "re-queried although canExecute kept its value");
            }
        }

        function test_plainBindingOnCanExecuteRevisionFollowsEveryRequery_C3() {
            plain.parameter = "ok";
            compare(vm.asyncText.canExecute, false, "QString{} is refused: this value never changes below");
            compare(plain.canRun, true);
            vm.asyncText.execute("ok");
            compare(vm.asyncText.isRunning, true);
            compare(plain.canRun, false, "Reject: the start is a re-query");
            vm.finishRuns();
            tryCompare(vm.asyncText, "isRunning", false, 5000);
            compare(plain.canRun, true, "and so is the end");
            vm.setBlockedWord("ok");
            compare(plain.canRun, true, "nobody asked again yet");
            vm.asyncText.notifyCanExecuteChanged();
            compare(plain.canRun, false, "notifyCanExecuteChanged() re-queries");
            plain.parameter = "other";
            compare(plain.canRun, true, "a new parameter is asked at once");
        }

        function test_componentsRequeryWhenCanExecuteKeepsItsValue_Q2_Q3_data() {
            return [{tag: "CommandButton", kind: "CommandButton"}, {tag: "CommandAction", kind: "CommandAction"}];
        }

        function test_componentsRequeryWhenCanExecuteKeepsItsValue_Q2_Q3(data) {
            const item = makeItem(data.kind, "asyncText", "ok");
            compare(vm.asyncText.canExecute, false);
            compare(item.enabled, true);
            vm.setBlockedWord("ok");
            vm.asyncText.notifyCanExecuteChanged();
            compare(vm.asyncText.canExecute, false);
            compare(item.enabled, false);
        }
    }
}
