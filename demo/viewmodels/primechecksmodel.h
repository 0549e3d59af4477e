// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QProperty>

#include <optional>

#include <commandkit/asyncstatus.h>

#include "primeresult.h"

namespace CommandKit {
class ExecutionTask;
}

/*!
    \brief The list of primality checks of a \c PrimesViewModel, one row per run of its command,
    each with its own progress, status and result (design.md D1).

    A row follows its run's \c CommandKit::ExecutionTask and copies what it shows, so it stays
    readable after the command has deleted the task of an older run.
    \note Lives on the viewmodel's thread, like the command whose runs it lists.
*/
class PrimeChecksModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)
    Q_PROPERTY(
        int finishedCount READ finishedCount NOTIFY finishedCountChanged BINDABLE bindableFinishedCount FINAL)

public:
    /*! \brief The roles of the model, named in QML as in \c roleNames(). */
    enum Role {
        IdRole = Qt::UserRole + 1, //!< \c id: the run's operation id
        InputRole,                 //!< \c input: the text the check was started with
        ProgressRole,              //!< \c progress: 0..1
        StatusRole,                //!< \c status: CommandKit::AsyncStatus
        IsRunningRole,             //!< \c isRunning: whether the run's body is alive
        StatusTextRole,            //!< \c statusText: "waiting", "checking 42%", "done", "canceled", "error"
        ResultTextRole, //!< \c resultText: "is prime", the error, "canceled at 42%", "waiting for …"
        WaitingRole,    //!< \c waiting: started but not on a pool thread yet (no progress report)
    };
    Q_ENUM(Role)

    /*!
        \brief One row: what the model knows of one check.

        A run is \e waiting while it is Started and its task has no progress yet: the body reports 0 as
        soon as it runs on a thread of CommandKit's pool, so until then it waits for a free thread.
    */
    struct Check
    {
        quint64 id = 0;        //!< The run's operation id (ExecutionTask::id()).
        QString input;         //!< The text the check was started with.
        double progress = 0.0; //!< Latest progress, 0..1.
        CommandKit::AsyncStatus status = CommandKit::AsyncStatus::Started; //!< The run's status.
        bool isRunning = true;                    //!< Whether the run's body is alive.
        bool hasProgress = false;                 //!< Whether the body has reported progress yet.
        std::optional<PrimeResult> result;        //!< The answer once Completed.
        QString errorString;                      //!< The error message once Error.
        QPointer<CommandKit::ExecutionTask> task; //!< The run's task while the command keeps it.

        /*! \brief Started, but the body has not reported progress yet: it waits for a pool thread. */
        [[nodiscard]] bool isWaiting() const
        {
            return status == CommandKit::AsyncStatus::Started && !hasProgress;
        }
    };

    /*! \brief An empty list. */
    explicit PrimeChecksModel(QObject *parent = nullptr);
    ~PrimeChecksModel() override;

    /*! \brief Adds a row for the run \a task, started with \a input, and follows it until it ends. */
    void track(CommandKit::ExecutionTask *task, const QString &input);

    /*! \brief The number of rows. */
    [[nodiscard]] int count() const { return int(m_checks.size()); }
    /*! \brief The number of rows whose run has ended. */
    [[nodiscard]] int finishedCount() const { return m_finishedCount.value(); }
    /*! \brief The bindable of \c finishedCount, for predicates and C++ bindings. */
    [[nodiscard]] QBindable<int> bindableFinishedCount() { return &m_finishedCount; }

    /*! \brief The row \a row (0 ≤ row < count()). */
    [[nodiscard]] Check check(int row) const { return m_checks.at(row); }
    /*! \brief The row of the run with operation id \a id, or -1. */
    [[nodiscard]] int rowOf(quint64 id) const;

    /*! \brief Requests cancellation of the run of row \a row; a no-op once it has ended. */
    Q_INVOKABLE void cancel(int row);
    /*! \brief Removes the rows whose run has ended. */
    Q_INVOKABLE void removeFinished();

    /*! \brief \reimp */
    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    /*! \brief \reimp */
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /*! \brief \reimp */
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /*! \brief The number of rows changed. */
    void countChanged();
    /*! \brief The number of ended rows changed. */
    void finishedCountChanged();

private:
    void refresh(quint64 id);
    void updateFinishedCount();

    QList<Check> m_checks;
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(PrimeChecksModel, int, m_finishedCount, 0,
                                         &PrimeChecksModel::finishedCountChanged)
};
