// SPDX-License-Identifier: MIT
#include "searchviewmodel.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/executiontask.h>
#include <commandkit/progress.h>
#include <commandkit/scheduling.h>

#include <stdexcept>

SearchViewModel::SearchViewModel(QObject *parent)
    : QObject(parent)
    , m_folder(defaultFolder)
{
    // The folder is read here, on this thread, before the body starts: the body never touches the viewmodel.
    m_search = new CommandKit::AsyncRelayCommand(
        [this](const QString &text, std::stop_token stop) { return find(m_folder, text, std::move(stop)); },
        this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setConcurrency(CommandKit::ConcurrencyMode::Restart);
    // The panel shows the error of the latest run; nothing is left for the process-wide handler (C9).
    m_search->setErrorHandler([](std::exception_ptr) {});
    connect(m_search, &CommandKit::AsyncRelayCommand::executionTaskChanged, this,
            [this] { follow(m_search->executionTask()); });
}

SearchViewModel::~SearchViewModel() = default;

void SearchViewModel::setFolder(const QString &folder)
{
    if (folder == m_folder)
        return;
    m_folder = folder;
    Q_EMIT folderChanged();
    if (!m_text.isEmpty())
        m_lastRun = m_search->executeAsync(m_text);
}

void SearchViewModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    Q_EMIT textChanged();
    if (!m_text.isEmpty()) {
        m_lastRun = m_search->executeAsync(m_text);
        return;
    }
    m_wanted = 0;
    m_search->cancel();
    setResults({});
    setScanned(0);
}

void SearchViewModel::follow(CommandKit::ExecutionTask *task)
{
    if (!task)
        return;
    // A new run: executionTask changes before the delegate runs (C7). Until it ends, the results are the
    // previous search's, so they do not flicker on every keystroke.
    m_wanted = task->id();
    setScanned(0);
    connect(task, &CommandKit::ExecutionTask::progressChanged, this, [this, task] {
        if (task->id() == m_wanted)
            setScanned(task->progress().toInt());
    });
    // isRunningChanged comes last at the end of a run, after status and result (C14). A run that was
    // restarted is no longer the wanted one, whatever its status: it never overwrites newer results.
    // A run whose body completed just before a restart canceled it ends inside the restart, while it is
    // still the executionTask, with a Completed status: its operation, Canceled, tells it apart.
    connect(task, &CommandKit::ExecutionTask::isRunningChanged, this, [this, task] {
        if (task->isRunning() || task->id() != m_wanted || task != m_search->executionTask() ||
            task->operation().status() == CommandKit::AsyncStatus::Canceled)
            return;
        if (task->status() == CommandKit::AsyncStatus::Completed)
            setResults(task->result().toStringList());
        else if (task->status() == CommandKit::AsyncStatus::Error)
            setResults({});
    });
}

void SearchViewModel::setResults(const QStringList &matches)
{
    const QStringList results = matches.mid(0, maxResults);
    const int matchCount = int(matches.size());
    if (results == m_results && matchCount == m_matchCount)
        return;
    m_results = results;
    m_matchCount = matchCount;
    Q_EMIT resultsChanged();
}

void SearchViewModel::setScanned(int scanned)
{
    if (scanned == m_scanned)
        return;
    m_scanned = scanned;
    Q_EMIT scannedChanged();
}

CommandKit::AsyncOperation<QStringList, int> SearchViewModel::find(QString folder, QString text,
                                                                   std::stop_token stop)
{
    const auto progress = co_await CommandKit::getProgressToken();
    co_await CommandKit::resumeBackground();

    if (!QFileInfo(folder).isDir()) {
        throw std::runtime_error(
            QStringLiteral("Cannot search \"%1\": no such folder").arg(folder).toStdString());
    }
    // Without QDirIterator::FollowSymlinks a link to a folder is an entry, not a subtree: no loops.
    QDirIterator it(folder, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    QStringList matches;
    int scanned = 0;
    progress(scanned);
    while (it.hasNext()) {
        if (stop.stop_requested()) {
            throw CommandKit::OperationCanceled(
                QStringLiteral("the search for \"%1\" was canceled").arg(text).toStdString());
        }
        const QFileInfo entry = it.nextFileInfo();
        if (++scanned % progressInterval == 0)
            progress(scanned);
        // Regular files only, as find -type f: not folders, not links.
        if (entry.isFile() && !entry.isSymLink() && entry.fileName().contains(text, Qt::CaseInsensitive))
            matches.append(entry.filePath());
    }
    progress(scanned);
    matches.sort();
    co_return matches;
}
