// SPDX-License-Identifier: MIT
// Tests of the demo's File hash panel viewmodel (design.md D1, D2): SHA-256 of real files on the thread
// pool, progress in bytes, cancel between chunks, clear errors.
#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/testing.h>

#include <unistd.h>

#include "filehashviewmodel.h"

using CommandKit::AsyncStatus;
using CommandKit::ExecutionTask;

static_assert(!std::is_copy_constructible_v<FileHashViewModel>);
static_assert(std::is_copy_constructible_v<HashProgress>);

class tst_FileHashViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void defaultPathIsOwnExecutable_D2();
    void hashMatchesQCryptographicHash_D1();
    void emptyFileHasTheEmptyDigest_D1();
    void smallChunksGiveTheSameDigest_D1();
    void progressInBytesReachesFileSize_D1();
    void missingFileGivesErrorNamingPath_D1_C9();
    void directoryGivesClearError_D1();
    void readErrorGivesClearError_D1();
    void unreadableFileGivesClearError_D1();
    void cancelMidHashEndsCanceled_D1_C11();
    void emptyPathCannotExecute_C3();
    void historyListsFinishedRuns_D1();
    void historyHasNoRepeatedLines_D1();
    void unknownSizeHasNoFraction_D1_data();
    void unknownSizeHasNoFraction_D1();
    void handledErrorsAreNotUnhandled_C9();

private:
    QString writeFile(const QString &name, const QByteArray &data);
    static QByteArray randomBytes(qsizetype size);
    static QString sha256(const QByteArray &data);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FileHashViewModel> m_vm;
};

void tst_FileHashViewModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_vm = std::make_unique<FileHashViewModel>();
}

void tst_FileHashViewModel::cleanup()
{
    m_vm->hash()->cancel();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    m_vm.reset();
    m_dir.reset();
}

QString tst_FileHashViewModel::writeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray tst_FileHashViewModel::randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(generator.generate() & 0xff);
    return data;
}

QString tst_FileHashViewModel::sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

void tst_FileHashViewModel::defaultPathIsOwnExecutable_D2()
{
    QCOMPARE(m_vm->path(), QCoreApplication::applicationFilePath());
    QVERIFY(m_vm->hash()->canExecute());

    m_vm->hash()->execute();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QFile self(QCoreApplication::applicationFilePath());
    QVERIFY(self.open(QIODevice::ReadOnly));
    QCOMPARE(m_vm->hash()->executionTask()->status(), AsyncStatus::Completed);
    QCOMPARE(m_vm->hash()->executionTask()->result().toString(), sha256(self.readAll()));
}

void tst_FileHashViewModel::hashMatchesQCryptographicHash_D1()
{
    // More than two 1 MiB chunks and a partial one.
    const QByteArray data = randomBytes((qsizetype(5) << 19) + 12345);
    m_vm->setPath(writeFile(QStringLiteral("data.bin"), data));

    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(run.status(), AsyncStatus::Completed);
    const ExecutionTask *task = m_vm->hash()->executionTask();
    QCOMPARE(task->id(), run.id());
    QCOMPARE(task->status(), AsyncStatus::Completed);
    const QString digest = task->result().toString();
    QCOMPARE(digest, sha256(data));
    QCOMPARE(digest.size(), 64);
    QCOMPARE(digest, digest.toLower()); // as sha256sum prints it
    QVERIFY(task->errorString().isEmpty());
}

void tst_FileHashViewModel::emptyFileHasTheEmptyDigest_D1()
{
    m_vm->setPath(writeFile(QStringLiteral("empty"), QByteArray()));
    m_vm->hash()->execute();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(m_vm->hash()->executionTask()->result().toString(),
             QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    const auto progress = m_vm->hash()->executionTask()->progress().value<HashProgress>();
    QCOMPARE(progress, (HashProgress{0, 0}));
    QVERIFY(progress.sizeKnown());
    QCOMPARE(progress.fraction(), 1.0); // all of it read
}

void tst_FileHashViewModel::smallChunksGiveTheSameDigest_D1()
{
    const QByteArray data = randomBytes(100'003);
    const QString path = writeFile(QStringLiteral("chunks.bin"), data);

    const auto operation = FileHashViewModel::sha256(path, 4097);
    QVERIFY(CommandKit::Testing::wait(operation));
    QCOMPARE(operation.getResults(), sha256(data));
}

void tst_FileHashViewModel::progressInBytesReachesFileSize_D1()
{
    const QByteArray data = randomBytes((qsizetype(3) << 20) + 1);
    m_vm->setPath(writeFile(QStringLiteral("progress.bin"), data));

    m_vm->hash()->execute();
    ExecutionTask *task = m_vm->hash()->executionTask();
    QList<HashProgress> reports;
    connect(task, &ExecutionTask::progressChanged, this,
            [&] { reports.append(task->progress().value<HashProgress>()); });
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QVERIFY(!reports.isEmpty());
    for (qsizetype i = 0; i < reports.size(); ++i) {
        QCOMPARE(reports.at(i).bytesTotal, data.size());
        if (i > 0)
            QVERIFY(reports.at(i).bytesDone >= reports.at(i - 1).bytesDone);
    }
    // The last report is delivered before the run ends (A7) and covers the whole file.
    QCOMPARE(reports.last(), (HashProgress{data.size(), data.size()}));
    QCOMPARE(reports.last().fraction(), 1.0);
    QCOMPARE(task->progress().value<HashProgress>().bytesDone, data.size());
}

void tst_FileHashViewModel::missingFileGivesErrorNamingPath_D1_C9()
{
    const QString path = m_dir->filePath(QStringLiteral("does-not-exist.bin"));
    m_vm->setPath(path);
    QSignalSpy errors(m_vm->hash(), &CommandKit::Command::errorOccurred);

    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    const QString expected = QStringLiteral("Cannot open \"%1\": No such file or directory").arg(path);
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(run.errorString(), expected);
    const ExecutionTask *task = m_vm->hash()->executionTask();
    QCOMPARE(task->status(), AsyncStatus::Error);
    QCOMPARE(task->errorString(), expected);
    QVERIFY(!task->result().isValid());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), expected);
    QVERIFY(!m_vm->hash()->isRunning());
    QVERIFY(m_vm->hash()->canExecute()); // ready for the next try
}

void tst_FileHashViewModel::directoryGivesClearError_D1()
{
    m_vm->setPath(m_dir->path());
    QSignalSpy errors(m_vm->hash(), &CommandKit::Command::errorOccurred);
    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    const QString expected = QStringLiteral("Cannot hash \"%1\": it is a directory").arg(m_dir->path());
    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(run.errorString(), expected);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), expected);
}

void tst_FileHashViewModel::readErrorGivesClearError_D1()
{
    // Opens fine, but reading at offset 0 fails (EIO): the error path between chunks.
    const QString path = QStringLiteral("/proc/self/mem");
    if (!QFile::exists(path))
        QSKIP("needs Linux /proc");
    m_vm->setPath(path);
    QSignalSpy errors(m_vm->hash(), &CommandKit::Command::errorOccurred);
    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(run.status(), AsyncStatus::Error);
    QVERIFY2(run.errorString().startsWith(QStringLiteral("Cannot read \"%1\": ").arg(path)),
             qPrintable(run.errorString()));
    QCOMPARE(errors.count(), 1);
}

void tst_FileHashViewModel::unreadableFileGivesClearError_D1()
{
    if (::geteuid() == 0)
        QSKIP("root reads files whatever their permissions");
    const QString path = writeFile(QStringLiteral("secret.bin"), QByteArrayLiteral("secret"));
    QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
    m_vm->setPath(path);
    QSignalSpy errors(m_vm->hash(), &CommandKit::Command::errorOccurred);

    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(run.status(), AsyncStatus::Error);
    QCOMPARE(run.errorString(), QStringLiteral("Cannot open \"%1\": Permission denied").arg(path));
}

void tst_FileHashViewModel::cancelMidHashEndsCanceled_D1_C11()
{
    const qsizetype size = qsizetype(64) << 20;
    m_vm->setPath(writeFile(QStringLiteral("big.bin"), QByteArray(size, 'x')));

    const CommandKit::AsyncAction run = m_vm->hash()->executeAsync();
    ExecutionTask *task = m_vm->hash()->executionTask();
    QVERIFY(m_vm->hash()->canBeCanceled());
    // Cancel on the first progress report, while the body reads the file on a pool thread.
    connect(task, &ExecutionTask::progressChanged, m_vm->hash(), &CommandKit::AsyncRelayCommand::cancel,
            Qt::SingleShotConnection);
    QSignalSpy canceled(task, &ExecutionTask::statusChanged);
    QVERIFY(canceled.wait());
    QCOMPARE(task->status(), AsyncStatus::Canceled);
    QVERIFY(m_vm->hash()->isCancellationRequested());
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(run.status(), AsyncStatus::Canceled);
    QVERIFY(!task->isRunning());
    QVERIFY(!task->result().isValid());
    const auto progress = task->progress().value<HashProgress>();
    QCOMPARE(progress.bytesTotal, size);
    QVERIFY2(progress.bytesDone < size, "canceled between chunks, before the end of the file");
}

void tst_FileHashViewModel::emptyPathCannotExecute_C3()
{
    QSignalSpy pathChanged(m_vm.get(), &FileHashViewModel::pathChanged);
    QSignalSpy canExecuteChanged(m_vm->hash(), &CommandKit::Command::canExecuteChanged);

    m_vm->setPath(QString());
    QCOMPARE(pathChanged.count(), 1);
    QVERIFY(!m_vm->hash()->canExecute()); // the predicate reads the bindable path
    QCOMPARE(canExecuteChanged.count(), 1);
    const CommandKit::AsyncAction refused = m_vm->hash()->executeAsync();
    QCOMPARE(refused.status(), AsyncStatus::Canceled);
    QVERIFY(!m_vm->hash()->executionTask());

    m_vm->setPath(QStringLiteral("/some/file"));
    QVERIFY(m_vm->hash()->canExecute());
    QCOMPARE(canExecuteChanged.count(), 2);
}

void tst_FileHashViewModel::historyListsFinishedRuns_D1()
{
    QVERIFY(m_vm->history().isEmpty());
    QSignalSpy historyChanged(m_vm.get(), &FileHashViewModel::historyChanged);
    QSignalSpy errors(m_vm->hash(), &CommandKit::Command::errorOccurred);
    const QByteArray data = QByteArrayLiteral("hello\n");
    const QString file = writeFile(QStringLiteral("hello.txt"), data);
    const QString missing = m_dir->filePath(QStringLiteral("missing"));
    const QString big = writeFile(QStringLiteral("big.bin"), QByteArray(qsizetype(16) << 20, 'y'));

    m_vm->setPath(file);
    m_vm->hash()->execute();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    m_vm->setPath(missing);
    m_vm->hash()->execute();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    m_vm->setPath(big);
    m_vm->hash()->execute();
    m_vm->hash()->cancel(); // before the body's first chunk: it stops at its first check
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));

    QCOMPARE(historyChanged.count(), 3);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(m_vm->history(),
             QStringList({
                 QStringLiteral("canceled: %1").arg(big),
                 QStringLiteral("Cannot open \"%1\": No such file or directory").arg(missing),
                 sha256(data) + QStringLiteral("  ") + file,
             }));
}

void tst_FileHashViewModel::historyHasNoRepeatedLines_D1()
{
    const QByteArray data = QByteArrayLiteral("hello\n");
    const QString file = writeFile(QStringLiteral("hello.txt"), data);
    const QString other = writeFile(QStringLiteral("other.txt"), QByteArrayLiteral("other\n"));
    for (const QString &path : {file, other, file, file}) {
        m_vm->setPath(path);
        m_vm->hash()->execute();
        QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    }
    // The same line again moves to the top instead of repeating.
    QCOMPARE(m_vm->history(),
             QStringList({sha256(data) + QStringLiteral("  ") + file,
                          sha256(QByteArrayLiteral("other\n")) + QStringLiteral("  ") + other}));
}

void tst_FileHashViewModel::unknownSizeHasNoFraction_D1_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("device") << "/dev/zero";
    QTest::newRow("proc") << "/proc/self/status";
}

void tst_FileHashViewModel::unknownSizeHasNoFraction_D1()
{
    QFETCH(QString, path);
    m_vm->setPath(path);
    m_vm->hash()->execute();
    ExecutionTask *task = m_vm->hash()->executionTask();
    QTRY_VERIFY(task->hasProgress());
    const auto first = task->progress().value<HashProgress>();
    QVERIFY(!first.sizeKnown());
    QCOMPARE(first.fraction(), 0.0);
    // /dev/zero never ends: it is canceled; /proc/self/status ends with what it held.
    m_vm->hash()->cancel();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    const auto last = task->progress().value<HashProgress>();
    QCOMPARE(last.bytesTotal, -1);
    if (task->status() == AsyncStatus::Completed)
        QVERIFY(last.bytesDone > 0);
    else
        QCOMPARE(task->status(), AsyncStatus::Canceled);
}

void tst_FileHashViewModel::handledErrorsAreNotUnhandled_C9()
{
    // The panel shows the error: nothing goes to the process-wide handler (which prints "Unhandled error").
    static int unhandled = 0;
    const auto previous =
        CommandKit::setUnhandledErrorHandler([](std::exception_ptr, const QString &) { ++unhandled; });
    m_vm->setPath(m_dir->filePath(QStringLiteral("missing")));
    m_vm->hash()->execute();
    QVERIFY(CommandKit::Testing::waitUntilIdle(m_vm->hash()));
    CommandKit::setUnhandledErrorHandler(previous);
    QCOMPARE(m_vm->hash()->executionTask()->status(), AsyncStatus::Error);
    QCOMPARE(unhandled, 0);
}

QTEST_GUILESS_MAIN(tst_FileHashViewModel)
#include "tst_filehashviewmodel.moc"
