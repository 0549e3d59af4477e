// SPDX-License-Identifier: MIT
#include "notesviewmodel.h"

#include <QtCore/QDir>
#include <QtCore/QSaveFile>

NotesViewModel::NotesViewModel(QObject *parent)
    : QObject(parent)
{
    // The result of a completed load, on the GUI thread, once load's state is final (C17).
    load->onResult([this](const QStringList &notes) { m_notes = notes; });
}

CommandKit::AsyncOperation<QStringList, int> NotesViewModel::loadNotes(QString folder)
{
    auto progress = co_await CommandKit::getProgressToken();
    auto canceled = co_await CommandKit::getCancellationToken();
    co_await CommandKit::resumeBackground(); // a pool thread from here on: touch only locals
    const QFileInfoList files = QDir(folder).entryInfoList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    QStringList notes;
    for (qsizetype i = 0; i < files.size() && !canceled(); ++i) { // a canceled run's result is dropped
        QFile file(files[i].filePath());
        if (!file.open(QIODevice::ReadOnly))
            throw std::runtime_error((file.fileName() + ": " + file.errorString()).toStdString());
        notes << QString::fromUtf8(file.readAll());
        progress(int(100 * (i + 1) / files.size()));
    }
    co_return notes;
}

void NotesViewModel::saveNotes(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(notes().join('\n').toUtf8()) < 0 || !file.commit())
        throw std::runtime_error(("Cannot save to " + path + ": " + file.errorString()).toStdString());
}
