// SPDX-License-Identifier: MIT
#include "filehashviewmodel.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/cancellation.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>

#include <stdexcept>

namespace {

[[noreturn]] void fail(const QString &what, const QString &path, const QString &reason)
{
    throw std::runtime_error(QStringLiteral("%1 \"%2\": %3").arg(what, path, reason).toStdString());
}

// Files of /proc and /sys say they are empty, and then yield content when read.
bool isPseudoFile(const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.startsWith(QLatin1String("/proc/")) || canonical.startsWith(QLatin1String("/sys/"));
}

} // namespace

FileHashViewModel::FileHashViewModel(QObject *parent)
    : QObject(parent)
{
    m_path = QCoreApplication::applicationFilePath();
    // The path is read here, on this thread, before the body starts: the body never touches the viewmodel.
    m_hash = new CommandKit::AsyncRelayCommand([this] { return sha256(m_path.value()); },
                                               [this] { return !m_path.value().isEmpty(); }, this);
    m_hash->setObjectName(QStringLiteral("hash"));
    // The panel shows the error and history keeps it; nothing is left for the process-wide handler (C9),
    // which would also print "Unhandled error" on stderr.
    m_hash->setErrorHandler([](std::exception_ptr) {});
    connect(m_hash, &CommandKit::AsyncRelayCommand::executionTaskChanged, this,
            [this] { follow(m_hash->executionTask()); });
}

FileHashViewModel::~FileHashViewModel() = default;

void FileHashViewModel::follow(CommandKit::ExecutionTask *task)
{
    if (!task)
        return;
    // executionTask changes before the delegate reads the path (C7): this is the path being hashed.
    const QString path = m_path.value();
    // isRunningChanged comes last at the end of a run, after status, result and errorString (C14).
    connect(task, &CommandKit::ExecutionTask::isRunningChanged, this, [this, task, path] {
        if (task->isRunning())
            return;
        QString line;
        switch (task->status()) {
        case CommandKit::AsyncStatus::Completed:
            line = task->result().toString() + QStringLiteral("  ") + path;
            break;
        case CommandKit::AsyncStatus::Canceled:
            line = tr("canceled: %1").arg(path);
            break;
        default:
            line = task->errorString();
            break;
        }
        // The same line again (the same file hashed twice) moves to the top instead of repeating.
        m_history.removeAll(line);
        m_history.prepend(line);
        if (m_history.size() > historySize)
            m_history.removeLast();
        Q_EMIT historyChanged();
    });
}

CommandKit::AsyncOperation<QString, HashProgress> FileHashViewModel::sha256(QString path, qint64 chunkSize)
{
    const auto progress = co_await CommandKit::getProgressToken();
    const auto canceled = co_await CommandKit::getCancellationToken();
    co_await CommandKit::resumeBackground();

    QFile file(path);
    const QFileInfo info(file);
    if (info.isDir())
        fail(QStringLiteral("Cannot hash"), path, QStringLiteral("it is a directory"));
    if (!file.open(QIODevice::ReadOnly))
        fail(QStringLiteral("Cannot open"), path, file.errorString());

    // The first report says the body runs on a pool thread: until then the view shows it waiting.
    // Devices and pipes have no size, and files of /proc and /sys say 0: their size is unknown.
    const bool sizeKnown = !file.isSequential() && info.isFile() && (info.size() > 0 || !isPseudoFile(path));
    HashProgress done{0, sizeKnown ? info.size() : -1};
    progress(done);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(chunkSize, Qt::Uninitialized);
    for (;;) {
        if (canceled())
            throw CommandKit::OperationCanceled(
                QStringLiteral("hashing \"%1\" was canceled").arg(path).toStdString());
        const qint64 read = file.read(buffer.data(), buffer.size());
        if (read < 0)
            fail(QStringLiteral("Cannot read"), path, file.errorString());
        if (read == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), read));
        done.bytesDone += read;
        progress(done);
    }
    co_return QString::fromLatin1(hash.result().toHex());
}
