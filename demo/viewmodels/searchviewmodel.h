// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <stop_token>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>

/*!
    \brief The viewmodel of the Search panel (design.md D1, D2): the files under a folder whose name
    contains a text, searched again on every keystroke.

    \c search is an \c AsyncRelayCommand in \c ConcurrencyMode::Restart whose parameter is the text: a
    new run cancels the one in progress, which stops at its next entry. The walk runs on a thread of the
    global \c QThreadPool, reports the number of entries scanned as its progress, and its result is the
    sorted list of matching paths. Setting \c text executes \c search; an empty text cancels it and
    clears the results. Only the run that completed as the command's latest run sets \c results: a
    canceled run never overwrites a newer one's. A folder that does not exist ends the run with an error
    that says so, also in the \c executionTask's \c errorString.

    \code
    SearchViewModel search;                          // searches /usr/share
    search.setText(QStringLiteral("readme"));        // results follow when the run completes
    \endcode
    \note Lives on the GUI thread; the work runs on CommandKit's pool (\c CommandKit::threadPool()).
*/
class SearchViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged FINAL)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *search READ search CONSTANT FINAL)
    Q_PROPERTY(QStringList results READ results NOTIFY resultsChanged FINAL)
    Q_PROPERTY(int matchCount READ matchCount NOTIFY resultsChanged FINAL)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY resultsChanged FINAL)
    Q_PROPERTY(int scanned READ scanned NOTIFY scannedChanged FINAL)

public:
    /*! \brief A viewmodel that searches \c defaultFolder, with an empty text and no results (D2). */
    explicit SearchViewModel(QObject *parent = nullptr);
    ~SearchViewModel() override;

    /*! \brief The folder searched by default: a system folder that exists on any Debian machine (D2). */
    static inline const QString defaultFolder = QStringLiteral("/usr/share");
    /*! \brief How many paths \c results holds at most. */
    static constexpr int maxResults = 500;
    /*! \brief How many entries the walk scans between two progress reports. */
    static constexpr int progressInterval = 256;

    /*! \brief The folder whose tree is searched; \c defaultFolder at first. */
    [[nodiscard]] QString folder() const { return m_folder; }
    /*! \brief Sets the folder to search, and searches it again when \c text is not empty. */
    void setFolder(const QString &folder);

    /*! \brief The text that file names must contain, ignoring case. */
    [[nodiscard]] QString text() const { return m_text; }
    /*!
        \brief Sets the text and executes \c search with it: every change restarts the search. An empty
        text cancels the search in progress and clears the results.
    */
    void setText(const QString &text);

    /*!
        \brief Searches \c folder for file names that contain its parameter, the text; a new run cancels
        the one in progress (Restart mode). The result is the sorted list of matching paths.
    */
    [[nodiscard]] CommandKit::AsyncRelayCommand *search() const { return m_search; }

    /*!
        \brief The run that the latest \c setText() or \c setFolder() started, as \c executeAsync()
        returned it: it ends after the command, and so \c results, have processed the run's end (C10).
        An empty handle (\c isValid() false) before the first search.
    */
    [[nodiscard]] CommandKit::AsyncAction lastRun() const { return m_lastRun; }

    /*! \brief The paths found by the latest completed search, sorted, at most \c maxResults of them. */
    [[nodiscard]] QStringList results() const { return m_results; }
    /*! \brief How many files the latest completed search found, \c results included. */
    [[nodiscard]] int matchCount() const { return m_matchCount; }
    /*! \brief Whether the latest completed search found more files than \c results holds. */
    [[nodiscard]] bool hasMore() const { return m_matchCount > m_results.size(); }
    /*! \brief How many entries the latest search has scanned so far; its total once it has ended. */
    [[nodiscard]] int scanned() const { return m_scanned; }

    /*!
        \brief Walks the tree under \a folder on a thread of the global \c QThreadPool, without following
        symbolic links, and returns the sorted paths of the files whose name contains \a text, ignoring
        case. Reports the number of entries scanned every \c progressInterval entries and at the end.
        Checks \a stop at every entry.
        \warning The operation ends Error with \c std::runtime_error when \a folder is not a folder.
    */
    static CommandKit::AsyncOperation<QStringList, int> find(QString folder, QString text,
                                                             std::stop_token stop);

Q_SIGNALS:
    /*! \brief \c folder changed. */
    void folderChanged();
    /*! \brief \c text changed. */
    void textChanged();
    /*! \brief \c results, \c matchCount and \c hasMore changed. */
    void resultsChanged();
    /*! \brief \c scanned changed. */
    void scannedChanged();

private:
    void follow(CommandKit::ExecutionTask *task);
    void setResults(const QStringList &matches);
    void setScanned(int scanned);

    QString m_folder;
    QString m_text;
    CommandKit::AsyncRelayCommand *m_search;
    QStringList m_results;
    int m_matchCount = 0;
    int m_scanned = 0;
    // The id of the run whose end may set the results; 0 once an empty text has cleared them.
    quint64 m_wanted = 0;
    CommandKit::AsyncAction m_lastRun;
};
