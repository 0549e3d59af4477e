// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QProperty>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>

#include "hashprogress.h"

/*!
    \brief The viewmodel of the File hash panel (design.md D1, D2): the SHA-256 of any file, with
    progress in bytes, cancel, and a clear error for a missing or unreadable file.

    \c hash is an \c AsyncRelayCommand (Reject mode: one hash at a time) that hashes the file at
    \c path on a thread of CommandKit's pool. Its \c executionTask has the progress as a
    \c HashProgress and, once Completed, the digest as lowercase hex, as \c sha256sum prints it. A file
    that cannot be opened or read ends the run with an error naming the path and the reason, also
    emitted as the command's \c errorOccurred. \c history keeps one line per finished run.

    \code
    FileHashViewModel fileHash;
    fileHash.setPath(QStringLiteral("/bin/ls"));
    fileHash.hash()->execute();
    \endcode
    \note Lives on the GUI thread.
*/
class FileHashViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged BINDABLE bindablePath FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *hash READ hash CONSTANT FINAL)
    Q_PROPERTY(QStringList history READ history NOTIFY historyChanged FINAL)

public:
    /*! \brief A viewmodel whose \c path is the running executable (D2). */
    explicit FileHashViewModel(QObject *parent = nullptr);
    ~FileHashViewModel() override;

    /*! \brief The file to hash; the application's own executable by default. */
    [[nodiscard]] QString path() const { return m_path.value(); }
    /*! \brief Sets the file to hash. */
    void setPath(const QString &path) { m_path = path; }
    /*! \brief The bindable of \c path; \c hash can execute while it is not empty (C3). */
    [[nodiscard]] QBindable<QString> bindablePath() { return &m_path; }

    /*! \brief Hashes the file at \c path; the result is the digest as lowercase hex. */
    [[nodiscard]] CommandKit::AsyncRelayCommand *hash() const { return m_hash; }

    /*!
        \brief One line per finished run, newest first, at most \c historySize: "<digest>  <path>" as
        \c sha256sum prints it, the error message, or "canceled: <path>".
    */
    [[nodiscard]] QStringList history() const { return m_history; }
    /*! \brief How many lines \c history keeps. */
    static constexpr qsizetype historySize = 10;

    /*! \brief How many bytes \c sha256() reads at a time unless told otherwise: 1 MiB. */
    static constexpr qint64 defaultChunkSize = qint64(1) << 20;

    /*!
        \brief Computes the SHA-256 of the file at \a path on a thread of CommandKit's pool,
        reading \a chunkSize bytes at a time and reporting the bytes done after each chunk. Checks for
        cancellation between chunks. The result is the digest as lowercase hex.
        \warning The operation ends Error with \c std::runtime_error, naming \a path and the reason,
        when the file cannot be opened or read.
    */
    static CommandKit::AsyncOperation<QString, HashProgress> sha256(QString path,
                                                                    qint64 chunkSize = defaultChunkSize);

Q_SIGNALS:
    /*! \brief \c path changed. */
    void pathChanged();
    /*! \brief A run finished and \c history has a new first line. */
    void historyChanged();

private:
    void follow(CommandKit::ExecutionTask *task);

    Q_OBJECT_BINDABLE_PROPERTY(FileHashViewModel, QString, m_path, &FileHashViewModel::pathChanged)
    CommandKit::AsyncRelayCommand *m_hash;
    QStringList m_history;
};
