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
    , m_folderError(folderErrorOf(defaultFolder))
    , m_resultsFolder(defaultFolder)
{
    // The folder is read here, on this thread, before the body starts: the body never touches the viewmodel.
    // m_folderError is no bindable: setFolder() asks the command to query again.
    m_search = new CommandKit::AsyncRelayCommand(
        [this](const QString &text, std::stop_token stop) { return find(m_folder, text, std::move(stop)); },
        [this](const QString &text) { return !text.isEmpty() && m_folderError.isEmpty(); }, this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setConcurrency(CommandKit::ConcurrencyMode::Restart);
    // Search-as-you-type (C22): one search once the typing pauses, not one per keystroke.
    m_search->setDebounce(typingPause);
    // The panel shows the error of the latest run; nothing is left for the process-wide handler (C9).
    m_search->setErrorHandler([](std::exception_ptr) {});
    connect(m_search, &CommandKit::AsyncRelayCommand::executionTaskChanged, this,
            [this] { follow(m_search->executionTask()); });
}

SearchViewModel::~SearchViewModel() = default;

QString SearchViewModel::folderErrorOf(const QString &folder)
{
    if (folder.isEmpty())
        return tr("enter a folder");
    const QFileInfo info(folder);
    if (!info.exists())
        return tr("Cannot search \"%1\": no such folder").arg(folder);
    if (!info.isDir())
        return tr("Cannot search \"%1\": it is a file, not a folder").arg(folder);
    return {};
}

void SearchViewModel::setFolder(const QString &folder)
{
    if (folder == m_folder)
        return;
    m_folder = folder;
    m_folderError = folderErrorOf(folder);
    Q_EMIT folderChanged();
    Q_EMIT resultsCurrentChanged();
    m_search->notifyCanExecuteChanged();
    searchAgain();
}

void SearchViewModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    Q_EMIT textChanged();
    Q_EMIT resultsCurrentChanged();
    searchAgain();
}

void SearchViewModel::searchAgain()
{
    if (m_search->canExecuteWith(m_text)) {
        m_lastRun = m_search->executeAsync(m_text);
        return;
    }
    // No text or no folder to search: nothing is shown, and nothing older keeps running or waits for
    // the pause (cancel() drops that one too, C22).
    m_lastRun = {};
    m_wanted = 0;
    m_search->cancel();
    setResults({}, m_folder, m_text);
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
    // What this run searches: read on this thread, like the delegate does, before its body starts (C7).
    const QString folder = m_folder;
    const QString text = m_text;
    connect(task, &CommandKit::ExecutionTask::progressChanged, this, [this, task] {
        if (task->id() == m_wanted)
            setScanned(task->progress().toInt());
    });
    // isRunningChanged comes last at the end of a run, after status and result (C14). A run that was
    // restarted is no longer the wanted one, whatever its status: it never overwrites newer results.
    // A run whose body completed just before a restart canceled it ends inside the restart, while it is
    // still the executionTask, with a Completed status: its operation, Canceled, tells it apart.
    connect(task, &CommandKit::ExecutionTask::isRunningChanged, this, [this, task, folder, text] {
        if (task->isRunning() || task->id() != m_wanted || task != m_search->executionTask() ||
            task->operation().status() == CommandKit::AsyncStatus::Canceled)
            return;
        if (task->status() == CommandKit::AsyncStatus::Completed)
            setResults(task->result().toStringList(), folder, text);
        else if (task->status() == CommandKit::AsyncStatus::Error)
            setResults({}, folder, text);
    });
}

void SearchViewModel::setResults(const QStringList &matches, const QString &folder, const QString &text)
{
    const QStringList results = matches.mid(0, maxResults);
    const int matchCount = int(matches.size());
    m_resultsFolder = folder;
    m_resultsText = text;
    Q_EMIT resultsCurrentChanged();
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

    // The folder may have gone since the view checked it.
    if (const QString error = folderErrorOf(folder); !error.isEmpty())
        throw std::runtime_error(error.toStdString());
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
