// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import CommandKit
import CommandKitTest

// The README's QML snippet ("In 20 lines"), read from README.md as it is written and run against a
// command of the same shape as the README's (a QString parameter, C4): the button can be clicked, is
// disabled while the run goes on (Reject mode), the bar reads a number, and all of it comes back.
Item {
    id: root
    width: 400
    height: 300

    // The names the snippet uses: vm.search and a text field called field.
    TestViewModel {
        id: vm
    }

    TextField {
        id: field
        text: "needle"
    }

    Column {
        id: host
        y: 50
    }

    function readmeQmlSnippet() {
        const request = new XMLHttpRequest();
        request.open("GET", Qt.resolvedUrl("../../README.md"), false);
        request.send();
        const readme = request.responseText;
        const section = readme.indexOf("## In 20 lines");
        const start = readme.indexOf("```qml\n", section) + "```qml\n".length;
        return readme.substring(start, readme.indexOf("```", start));
    }

    TestCase {
        name: "ReadmeSnippet"
        when: windowShown

        function test_readmeQmlSnippetWorksAsWritten_C4() {
            const snippet = root.readmeQmlSnippet();
            verify(snippet.indexOf("vm.search") >= 0, "found the snippet: " + snippet);
            const view = Qt.createQmlObject("import QtQuick\nimport QtQuick.Controls\nColumn {\n" + snippet + "}\n",
                                            host, "README.md");
            verify(view !== null);
            const button = view.children[0];
            const busy = view.children[1];
            const bar = view.children[2];
            compare(button.enabled, true, "a typed command's button can be clicked (C4: empty is QString{})");
            compare(busy.running, false);
            compare(bar.value, 0);
            mouseClick(button);
            compare(vm.search.isRunning, true, "the click started a run with the field's text");
            compare(button.enabled, false, "Reject mode: disabled while the run goes on");
            compare(busy.running, true);
            compare(typeof bar.value, "number");
            vm.finishRuns();
            tryCompare(vm.search, "isRunning", false, 5000);
            compare(button.enabled, true, "enabled again after the run");
            compare(busy.running, false);
            view.destroy();
        }
    }
}
