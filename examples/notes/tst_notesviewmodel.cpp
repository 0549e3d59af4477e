// SPDX-License-Identifier: MIT
// The notes viewmodel's test (issue #13): only the public API of CommandKit and Qt Test; a run is held
// mid-way at a Gate, never by sleeping or timing.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <commandkit/testing.h>

#include "notesviewmodel.h"

namespace {

// A folder of notes a.md, b.md, … (each "# <name>") and one file that is not a note.
QString makeFolder(QTemporaryDir &dir, const QStringList &names)
{
    for (const QString &name : names + QStringList{"todo.txt"}) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write("# " + name.toUtf8()) < 0)
            return {};
    }
    return dir.path();
}

} // namespace

class tst_NotesViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadReportsProgressInOrderAndSetsNotes()
    {
        QTemporaryDir dir;
        NotesViewModel vm;
        CommandKit::Testing::ProgressRecorder progress(vm.load);
        CommandKit::Testing::PropertyRecorder recorder(&vm, {"notes"});
        QVERIFY(CommandKit::Testing::wait(
            vm.load->executeAsync(makeFolder(dir, {"a.md", "b.md", "c.md", "d.md"}))));
        QCOMPARE(progress.values<int>(), QList<int>({25, 50, 75, 100}));
        QCOMPARE(vm.notes(), QStringList({"# a.md", "# b.md", "# c.md", "# d.md"}));
        QCOMPARE(recorder.changes(), QStringList({"notes=[\"# a.md\", \"# b.md\", \"# c.md\", \"# d.md\"]"}));
        QVERIFY(vm.load->lastError().isEmpty());
    }

    void cancelMidRunLeavesNotesUnchanged()
    {
        QTemporaryDir first;
        QTemporaryDir second;
        NotesViewModel vm;
        QVERIFY(CommandKit::Testing::wait(vm.load->executeAsync(makeFolder(first, {"a.md"}))));
        CommandKit::Testing::ProgressRecorder progress(vm.load);
        CommandKit::Testing::Gate gate;
        progress.holdAt(2, gate); // the load stops right after its second report
        const CommandKit::AsyncAction run =
            vm.load->executeAsync(makeFolder(second, {"x.md", "y.md", "z.md", "w.md"}));
        QVERIFY(gate.waitForArrivals());
        QVERIFY(vm.load->isRunning());
        QCOMPARE(progress.values<int>(), QList<int>({25, 50}));
        vm.load->cancel();
        gate.open();
        QVERIFY(CommandKit::Testing::wait(run));
        QVERIFY(!vm.load->isRunning());
        QCOMPARE(run.status(), CommandKit::AsyncStatus::Canceled);
        QCOMPARE(vm.notes(), QStringList({"# a.md"}));
        QCOMPARE(progress.values<int>(), QList<int>({25, 50})); // it stopped reading
    }

    void saveToUnwritablePathSetsError()
    {
        QTemporaryDir dir;
        NotesViewModel vm;
        QVERIFY(CommandKit::Testing::wait(vm.load->executeAsync(makeFolder(dir, {"a.md", "b.md"}))));
        QSignalSpy errors(vm.save, &CommandKit::Command::errorOccurred);
        const QString unwritable = dir.filePath("no-such-folder/notes.txt");
        vm.save->execute(unwritable);
        QVERIFY(vm.save->lastError().startsWith("Cannot save to " + unwritable + ": "));
        QCOMPARE(errors.count(), 1);
        // A save that works clears the label.
        vm.save->execute(dir.filePath("notes.txt"));
        QVERIFY(vm.save->lastError().isEmpty());
        QFile saved(dir.filePath("notes.txt"));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), QByteArray("# a.md\n# b.md"));
    }

    void clearEnablesAndDisablesItself()
    {
        QTemporaryDir dir;
        NotesViewModel vm;
        CommandKit::Testing::PropertyRecorder recorder(vm.clear, {"canExecute"});
        QVERIFY(!vm.clear->canExecute());
        QVERIFY(CommandKit::Testing::wait(vm.load->executeAsync(makeFolder(dir, {"a.md"}))));
        QVERIFY(vm.clear->canExecute());
        vm.clear->execute();
        QVERIFY(vm.notes().isEmpty());
        QVERIFY(!vm.clear->canExecute());
        QCOMPARE(recorder.changes(), QStringList({"canExecute=true", "canExecute=false"}));
    }
};

QTEST_GUILESS_MAIN(tst_NotesViewModel)
#include "tst_notesviewmodel.moc"
