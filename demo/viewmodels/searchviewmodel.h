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

    \c search is an \c AsyncRelayCommand in \c ConcurrencyMode::Restart whose parameter is the text,
    with a \c debounce of \c typingPause ms (design.md C22): a burst of keystrokes makes one search, which
    starts once the typing pauses, with the latest text, and cancels the one in progress, which stops at
    its next entry (search-as-you-type, no timer of the viewmodel's own). The walk runs on a thread of the
    pool (CommandKit::threadPool()), reports the number of entries scanned as its progress, and its result is
   the sorted list of matching paths. Setting \c text or \c folder executes \c search; an empty text or a
    folder that cannot be searched cancels it and clears the results, and \c folderError says what is
    wrong with the folder ("enter a folder", "… it is a file, not a folder", "… no such folder"); the
    command cannot execute then. Only the run that completed as the command's latest run sets
    \c results: a canceled run never overwrites a newer one's. \c resultsCurrent tells whether the
    results shown are those of the current folder and text, so a view can dim older ones while a new
    search runs or after it was canceled.

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
    Q_PROPERTY(QString folderError READ folderError NOTIFY folderChanged FINAL)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged FINAL)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *search READ search CONSTANT FINAL)
    Q_PROPERTY(QStringList results READ results NOTIFY resultsChanged FINAL)
    Q_PROPERTY(int matchCount READ matchCount NOTIFY resultsChanged FINAL)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY resultsChanged FINAL)
    Q_PROPERTY(int scanned READ scanned NOTIFY scannedChanged FINAL)
    Q_PROPERTY(bool resultsCurrent READ resultsCurrent NOTIFY resultsCurrentChanged FINAL)

public:
    /*! \brief A viewmodel that searches \c defaultFolder, with an empty text and no results (D2). */
    explicit SearchViewModel(QObject *parent = nullptr);
    ~SearchViewModel() override;

    /*! \brief The folder searched by default: a system folder that exists on any Debian machine (D2). */
    static inline const QString defaultFolder = QStringLiteral("/usr/share");
    /*! \brief How many paths \c results holds at most. */
    static constexpr int maxResults = 500;
    /*!
        \brief How long the typing must pause, in ms, before a search starts: the \c debounce of
        \c search (C22). Tests move it with a \c CommandKit::Testing::VirtualClock.
    */
    static constexpr int typingPause = 250;
    /*! \brief How many entries the walk scans between two progress reports. */
    static constexpr int progressInterval = 256;

    /*! \brief The folder whose tree is searched; \c defaultFolder at first. */
    [[nodiscard]] QString folder() const { return m_folder; }
    /*! \brief Sets the folder to search, and searches it again when \c text is not empty. */
    void setFolder(const QString &folder);
    /*! \brief Why \c folder cannot be searched, or an empty string when it can. */
    [[nodiscard]] QString folderError() const { return m_folderError; }
    /*!
        \brief Why \a folder cannot be searched: "enter a folder" when it is empty, "Cannot search
        \"…\": no such folder", "Cannot search \"…\": it is a file, not a folder"; empty when it can.
    */
    [[nodiscard]] static QString folderErrorOf(const QString &folder);

    /*! \brief The text that file names must contain, ignoring case. */
    [[nodiscard]] QString text() const { return m_text; }
    /*!
        \brief Sets the text and executes \c search with it: the search starts \c typingPause ms after
        the latest change and restarts the one in progress. An empty text cancels the search in progress
        (or the one waiting for the pause) and clears the results.
    */
    void setText(const QString &text);

    /*!
        \brief Searches \c folder for file names that contain its parameter, the text; a run starts
        \c typingPause ms after the latest \c execute() (its \c debounce) and cancels the one in progress
        (Restart mode). The result is the sorted list of matching paths.
    */
    [[nodiscard]] CommandKit::AsyncRelayCommand *search() const { return m_search; }

    /*!
        \brief The run that the latest \c setText() or \c setFolder() asked for, as \c executeAsync()
        returned it: it starts once the typing has paused for \c typingPause ms, ends Canceled without
        running when a newer change comes first (C22), and ends after the command, and so \c results,
        have processed the run's end (C10). An empty handle (\c isValid() false) before the first search.
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
        \brief Whether \c results are those of the current \c folder and \c text: false while the results
        of an older search are still shown, because a newer one runs, was canceled, or failed.
    */
    [[nodiscard]] bool resultsCurrent() const
    {
        return m_resultsFolder == m_folder && m_resultsText == m_text;
    }

    /*!
        \brief Walks the tree under \a folder on a thread of CommandKit's pool, without following
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
    /*! \brief \c resultsCurrent may have changed. */
    void resultsCurrentChanged();

private:
    void follow(CommandKit::ExecutionTask *task);
    void searchAgain();
    void setResults(const QStringList &matches, const QString &folder, const QString &text);
    void setScanned(int scanned);

    QString m_folder;
    QString m_folderError;
    QString m_text;
    // The folder and text of the search whose results are shown.
    QString m_resultsFolder;
    QString m_resultsText;
    CommandKit::AsyncRelayCommand *m_search;
    QStringList m_results;
    int m_matchCount = 0;
    int m_scanned = 0;
    // The id of the run whose end may set the results; 0 once an empty text has cleared them.
    quint64 m_wanted = 0;
    CommandKit::AsyncAction m_lastRun;
};
