// SPDX-License-Identifier: MIT
// Tests of the demo's Search panel viewmodel (design.md D1, D2, C8, C22): file names that contain a text,
// found by walking a real folder on the thread pool, restarted once the typing pauses. The pause is the
// command's debounce, timed on a VirtualClock (A23): the tests move it, they never wait for it.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSemaphore>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThreadPool>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/executiontask.h>
#include <commandkit/scheduling.h>
#include <commandkit/testing.h>
#include <commandkit/virtualclock.h>

#include <chrono>

#include "searchviewmodel.h"

namespace {

/*!
    Holds CommandKit's pool's only thread until release(): a run started meanwhile cannot begin walking,
    so a restart or an emptied text is sure to find it still running (a finished body cannot be
    canceled, A4). Lets the pool go and restores it when destroyed, whatever failed in between.
*/
class PoolHold
{
public:
    PoolHold()
        : m_pool(CommandKit::threadPool())
        , m_threads(m_pool->maxThreadCount())
    {
        m_pool->setMaxThreadCount(1);
        m_pool->start([this] { m_gate.acquire(); });
    }
    ~PoolHold()
    {
        release();
        m_pool->waitForDone();
        m_pool->setMaxThreadCount(m_threads);
    }
    PoolHold(const PoolHold &) = delete;
    PoolHold &operator=(const PoolHold &) = delete;

    void release()
    {
        if (!m_released) {
            m_released = true;
            m_gate.release();
        }
    }

private:
    QThreadPool *m_pool;
    int m_threads;
    QSemaphore m_gate;
    bool m_released = false;
};

} // namespace

using CommandKit::AsyncStatus;
using CommandKit::ExecutionTask;

static_assert(!std::is_copy_constructible_v<SearchViewModel>);

class tst_SearchViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void defaultFolderIsASystemFolder_D2();
    void findsMatchingNamesIgnoringCase_D1();
    void scannedCountsEveryEntry_D1();
    void resultsAreCappedWithMore_D1();
    void restartLeavesOnlySecondRunsResults_D1_C8();
    void typingCoalescesKeystrokesIntoOneSearch_D1_C22();
    void searchStartsOnlyOnceTypingPauses_D1_C22();
    void folderErrorsSayWhatIsWrong_D1_C3();
    void olderResultsAreNotCurrent_D1();
    void emptyTextClearsResultsAndCancels_D1();
    void changingFolderSearchesAgain_D1();

private:
    QString touch(const QString &relativePath);
    QStringList expectedReadmes() const;
    /*! The typing pauses: the search asked for last starts (the command's debounce, C22). */
    void pause() { m_clock->advance(std::chrono::milliseconds(SearchViewModel::typingPause)); }

    // Made before the viewmodel and destroyed after it: every timer of the test is virtual (A23).
    std::unique_ptr<CommandKit::Testing::VirtualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SearchViewModel> m_vm;
    // Entries under m_dir: files and folders, as the walk counts them.
    int m_entries = 0;
};

void tst_SearchViewModel::init()
{
    m_clock = std::make_unique<CommandKit::Testing::VirtualClock>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_entries = 0;
    // Matches in nested folders and in any case; a folder named like a match is not a file.
    touch(QStringLiteral("ReadMe.txt"));
    touch(QStringLiteral("a/readme.md"));
    touch(QStringLiteral("a/b/c/README"));
    touch(QStringLiteral("a/b/x-rEaDmE-y.html"));
    touch(QStringLiteral("a/b/.readme-hidden"));
    touch(QStringLiteral("notes.txt"));
    touch(QStringLiteral("a/b/read.me"));
    touch(QStringLiteral("readme-folder/inner.txt"));
    // The folders: a, a/b, a/b/c, readme-folder.
    m_entries += 4;
    // A link to a folder above is not followed (no loop), and a link is not a file.
    QVERIFY(QFile::link(m_dir->path(), m_dir->filePath(QStringLiteral("a/b/loop-readme"))));
    ++m_entries;
    m_vm = std::make_unique<SearchViewModel>();
    m_vm->setFolder(m_dir->path());
}

void tst_SearchViewModel::cleanup()
{
    m_vm->search()->cancel();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->search()));
    m_vm.reset();
    m_dir.reset();
    m_clock.reset();
}

QString tst_SearchViewModel::touch(const QString &relativePath)
{
    const QString path = m_dir->filePath(relativePath);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    ++m_entries;
    return path;
}

QStringList tst_SearchViewModel::expectedReadmes() const
{
    QStringList paths;
    for (const char *name :
         {"ReadMe.txt", "a/readme.md", "a/b/c/README", "a/b/x-rEaDmE-y.html", "a/b/.readme-hidden"})
        paths.append(m_dir->filePath(QString::fromLatin1(name)));
    paths.sort();
    return paths;
}

void tst_SearchViewModel::defaultFolderIsASystemFolder_D2()
{
    const SearchViewModel vm;
    QCOMPARE(vm.folder(), QStringLiteral("/usr/share"));
    QVERIFY(QFileInfo(vm.folder()).isDir());
    QVERIFY(vm.text().isEmpty());
    QVERIFY(vm.results().isEmpty());
    QVERIFY(!vm.search()->executionTask()); // nothing runs until there is a text
    QCOMPARE(vm.search()->concurrency(), CommandKit::ConcurrencyMode::Restart);
    QCOMPARE(vm.search()->debounce(), SearchViewModel::typingPause);
}

void tst_SearchViewModel::findsMatchingNamesIgnoringCase_D1()
{
    QSignalSpy resultsChanged(m_vm.get(), &SearchViewModel::resultsChanged);
    m_vm->setText(QStringLiteral("readme"));
    const CommandKit::AsyncAction run = m_vm->lastRun();
    pause();
    QVERIFY(CommandKit::Testing::wait(run));

    QCOMPARE(run.status(), AsyncStatus::Completed);
    // C10: the run's operation ends after the viewmodel has its results.
    QCOMPARE(m_vm->results(), expectedReadmes());
    QCOMPARE(m_vm->matchCount(), 5);
    QVERIFY(!m_vm->hasMore());
    QCOMPARE(resultsChanged.count(), 1);
    const ExecutionTask *task = m_vm->search()->executionTask();
    QCOMPARE(task->id(), run.id());
    QCOMPARE(task->status(), AsyncStatus::Completed);
    QCOMPARE(task->result().toStringList(), expectedReadmes());
}

void tst_SearchViewModel::scannedCountsEveryEntry_D1()
{
    QSignalSpy scannedChanged(m_vm.get(), &SearchViewModel::scannedChanged);
    m_vm->setText(QStringLiteral("notes"));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));

    QCOMPARE(m_vm->results(), QStringList({m_dir->filePath(QStringLiteral("notes.txt"))}));
    // The last report is the total, delivered before the run ends (A7).
    QCOMPARE(m_vm->scanned(), m_entries);
    QCOMPARE(m_vm->search()->executionTask()->progress().toInt(), m_entries);
    QVERIFY(scannedChanged.count() >= 1);
}

void tst_SearchViewModel::resultsAreCappedWithMore_D1()
{
    const int files = SearchViewModel::maxResults + 12;
    for (int i = 0; i < files; ++i)
        touch(QStringLiteral("many/match-%1.txt").arg(i, 4, 10, QLatin1Char('0')));
    ++m_entries; // the folder "many"
    QList<int> reports;
    connect(m_vm->search(), &CommandKit::AsyncRelayCommand::executionTaskChanged, this, [&] {
        ExecutionTask *task = m_vm->search()->executionTask();
        connect(task, &ExecutionTask::progressChanged, this,
                [&reports, task] { reports.append(task->progress().toInt()); });
    });
    m_vm->setText(QStringLiteral("MATCH-"));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));

    QCOMPARE(m_vm->matchCount(), files);
    QCOMPARE(m_vm->results().size(), SearchViewModel::maxResults);
    QVERIFY(m_vm->hasMore());
    QCOMPARE(m_vm->results().first(), m_dir->filePath(QStringLiteral("many/match-0000.txt")));
    // Every progressInterval entries and at the end: a few reports, not one per entry.
    QVERIFY(!reports.isEmpty());
    QCOMPARE(reports.last(), m_entries);
    QVERIFY(reports.size() <= m_entries / SearchViewModel::progressInterval + 2);
    QVERIFY(std::is_sorted(reports.cbegin(), reports.cend()));
}

void tst_SearchViewModel::restartLeavesOnlySecondRunsResults_D1_C8()
{
    // The first run cannot start walking before the second one replaces it.
    PoolHold hold;
    CommandKit::Testing::PropertyRecorder recorder(m_vm->search(), {QStringLiteral("isRunning")});

    m_vm->setText(QStringLiteral("notes"));
    pause(); // the first search starts, and waits for the pool's thread
    ExecutionTask *firstTask = m_vm->search()->executionTask();
    const CommandKit::AsyncAction first = m_vm->lastRun();
    QCOMPARE(firstTask->id(), first.id());
    m_vm->setText(QStringLiteral("readme"));
    const CommandKit::AsyncAction second = m_vm->lastRun();
    QCOMPARE(first.status(), AsyncStatus::Started); // still searching while the user types
    pause();
    QVERIFY(first.id() != second.id());
    QCOMPARE(m_vm->search()->executionTask()->id(), second.id());
    QCOMPARE(first.status(), AsyncStatus::Canceled); // at once (A4)

    hold.release();
    QVERIFY(CommandKit::Testing::wait(second));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->search()));

    QCOMPARE(first.status(), AsyncStatus::Canceled);
    QCOMPARE(second.status(), AsyncStatus::Completed);
    QCOMPARE(m_vm->results(), expectedReadmes());
    // One busy period: the canceled run's end never turned isRunning false while the second ran.
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_SearchViewModel::typingCoalescesKeystrokesIntoOneSearch_D1_C22()
{
    CommandKit::Testing::PropertyRecorder recorder(m_vm->search(), {QStringLiteral("isRunning")});
    QSignalSpy resultsChanged(m_vm.get(), &SearchViewModel::resultsChanged);
    QSignalSpy executionTaskChanged(m_vm->search(), &CommandKit::AsyncRelayCommand::executionTaskChanged);
    QList<CommandKit::AsyncAction> runs;
    QString typed;
    // Keystrokes closer together than the pause: each one replaces the search the one before asked for.
    for (const QChar c : QStringLiteral("readme")) {
        typed += c;
        m_vm->setText(typed);
        runs.append(m_vm->lastRun());
        m_clock->advance(std::chrono::milliseconds(SearchViewModel::typingPause - 1));
    }
    QVERIFY(!m_vm->search()->isRunning());
    m_clock->advance(std::chrono::milliseconds(1));
    QVERIFY(CommandKit::Testing::wait(runs.last()));
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->search()));

    for (qsizetype i = 0; i + 1 < runs.size(); ++i)
        QCOMPARE(runs.at(i).status(), AsyncStatus::Canceled); // never ran
    QCOMPARE(runs.last().status(), AsyncStatus::Completed);
    QCOMPARE(executionTaskChanged.count(), 1); // one search for six keystrokes
    QCOMPARE(m_vm->results(), expectedReadmes());
    QCOMPARE(resultsChanged.count(), 1);
    QCOMPARE(recorder.changes(),
             QStringList({QStringLiteral("isRunning=true"), QStringLiteral("isRunning=false")}));
}

void tst_SearchViewModel::searchStartsOnlyOnceTypingPauses_D1_C22()
{
    m_vm->setText(QStringLiteral("readme"));
    const CommandKit::AsyncAction run = m_vm->lastRun();
    QCOMPARE(run.status(), AsyncStatus::Started);
    QVERIFY(!m_vm->search()->executionTask()); // waiting for the pause, not searching
    QVERIFY(!m_vm->search()->isRunning());
    m_clock->advance(std::chrono::milliseconds(SearchViewModel::typingPause - 1));
    QVERIFY(!m_vm->search()->executionTask());

    // Emptied before the pause: the waiting search is dropped, nothing ever runs.
    m_vm->setText(QString());
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    pause();
    QVERIFY(!m_vm->search()->executionTask());
    QVERIFY(m_vm->results().isEmpty());

    m_vm->setText(QStringLiteral("notes"));
    pause();
    QVERIFY(m_vm->search()->executionTask()); // it started at the pause
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->results(), QStringList({m_dir->filePath(QStringLiteral("notes.txt"))}));
}

void tst_SearchViewModel::folderErrorsSayWhatIsWrong_D1_C3()
{
    m_vm->setText(QStringLiteral("readme"));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->matchCount(), 5);
    QVERIFY(m_vm->folderError().isEmpty());
    QSignalSpy errors(m_vm->search(), &CommandKit::Command::errorOccurred);

    const QString missing = m_dir->filePath(QStringLiteral("no-such-folder"));
    const QString file = m_dir->filePath(QStringLiteral("notes.txt"));
    const QList<std::pair<QString, QString>> cases{
        {missing, QStringLiteral("Cannot search \"%1\": no such folder").arg(missing)},
        {file, QStringLiteral("Cannot search \"%1\": it is a file, not a folder").arg(file)},
        {QString(), QStringLiteral("enter a folder")},
    };
    for (const auto &[folder, expected] : cases) {
        m_vm->setFolder(folder);
        QCOMPARE(m_vm->folderError(), expected);
        // Nothing runs, nothing is shown, nothing is reported: the view shows folderError.
        QVERIFY(!m_vm->search()->canExecuteWith(m_vm->text()));
        QVERIFY(!m_vm->lastRun().isValid());
        QVERIFY(!m_vm->search()->isRunning());
        QVERIFY(m_vm->results().isEmpty());
        QCOMPARE(m_vm->matchCount(), 0);
        QCOMPARE(errors.count(), 0);
    }

    m_vm->setFolder(m_dir->path());
    QVERIFY(m_vm->folderError().isEmpty());
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->matchCount(), 5);

    // A folder that goes away after the view checked it: the run ends with the same error.
    const auto run = SearchViewModel::find(missing, QStringLiteral("x"), {});
    QVERIFY(CommandKit::Testing::wait(run));
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(run.errorString(), QStringLiteral("Cannot search \"%1\": no such folder").arg(missing));
}

void tst_SearchViewModel::olderResultsAreNotCurrent_D1()
{
    QVERIFY(m_vm->resultsCurrent()); // nothing searched, nothing shown
    m_vm->setText(QStringLiteral("readme"));
    QVERIFY(!m_vm->resultsCurrent()); // the view dims what it shows until the run completes
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QVERIFY(m_vm->resultsCurrent());

    // Canceled while it waits for a thread: the older results stay, still not current.
    {
        PoolHold hold;
        m_vm->setText(QStringLiteral("notes"));
        pause();
        m_vm->search()->cancel();
        hold.release();
        QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->search()));
    }
    QCOMPARE(m_vm->search()->executionTask()->status(), AsyncStatus::Canceled);
    QVERIFY(!m_vm->resultsCurrent());
    QCOMPARE(m_vm->matchCount(), 5);

    // Cleared: nothing shown, which is current.
    m_vm->setText(QString());
    QVERIFY(m_vm->resultsCurrent());
    QVERIFY(m_vm->results().isEmpty());
}

void tst_SearchViewModel::emptyTextClearsResultsAndCancels_D1()
{
    m_vm->setText(QStringLiteral("readme"));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->results(), expectedReadmes());
    QVERIFY(m_vm->scanned() > 0);

    QSignalSpy resultsChanged(m_vm.get(), &SearchViewModel::resultsChanged);
    m_vm->setText(QString());
    QVERIFY(m_vm->results().isEmpty());
    QCOMPARE(m_vm->matchCount(), 0);
    QCOMPARE(m_vm->scanned(), 0);
    QCOMPARE(resultsChanged.count(), 1);

    // Emptied while a search runs: it ends Canceled and its results never show.
    PoolHold hold;
    m_vm->setText(QStringLiteral("read"));
    pause();
    const CommandKit::AsyncAction run = m_vm->lastRun();
    QVERIFY(m_vm->search()->isRunning());
    m_vm->setText(QString());
    QCOMPARE(run.status(), AsyncStatus::Canceled);
    hold.release();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->search()));
    QVERIFY(CommandKit::Testing::wait(run));
    QVERIFY(m_vm->results().isEmpty());
    QCOMPARE(m_vm->scanned(), 0);
    QCOMPARE(resultsChanged.count(), 1);
}

void tst_SearchViewModel::changingFolderSearchesAgain_D1()
{
    QSignalSpy folderChanged(m_vm.get(), &SearchViewModel::folderChanged);
    m_vm->setFolder(m_dir->filePath(QStringLiteral("a/b")));
    QCOMPARE(folderChanged.count(), 1);
    QVERIFY(!m_vm->search()->executionTask()); // no text yet: nothing to search

    m_vm->setText(QStringLiteral("readme"));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->matchCount(), 3);

    m_vm->setFolder(m_dir->filePath(QStringLiteral("a/b/c")));
    pause();
    QVERIFY(CommandKit::Testing::wait(m_vm->lastRun()));
    QCOMPARE(m_vm->results(), QStringList({m_dir->filePath(QStringLiteral("a/b/c/README"))}));
}

QTEST_GUILESS_MAIN(tst_SearchViewModel)
#include "tst_searchviewmodel.moc"
