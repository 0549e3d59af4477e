// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariant>

#include <memory>

#include "commandkit/commandkit_export.h"
#include "commandkit/gate.h"

namespace CommandKit {
class AsyncRelayCommand;
}

namespace CommandKit::Testing {

/*!
    \brief Records every progress report of a command's runs, in the order the bodies made them, none
    coalesced (design.md C20): what a test asserts the sequence of reports with.

    \c ExecutionTask::progress keeps only the latest value (A7, P5), which is right for a view and
    useless for a test that wants to see 25, 50, 75, 100. The recorder sees each report synchronously,
    on the thread that makes it, before any delivery to the command's thread.

    \code
    CommandKit::Testing::ProgressRecorder progress(vm.load());
    QVERIFY(CommandKit::Testing::wait(vm.load()->executeAsync(folder)));
    QCOMPARE(progress.values<int>(), QList<int>({33, 66, 100}));
    \endcode

    It records the runs that start after it was made (and the one running then, from its next
    report), in every concurrency mode; reports of overlapping runs are interleaved as they happened.
    \c holdAt() also holds a run mid-way, at a report of the test's choosing, on a \c Gate.
    \note Create, read and destroy it on the command's thread; the reports may come from any thread.
    \note Reports made while the delegate has not returned yet are recorded too, whatever the
    delegate is (a coroutine lambda, a member function, a plain function returning an operation it
    started): a report from another thread waits, while the recorder watches, until the delegate has
    returned and the command knows which operation is the run (C5); other operations the delegate
    started are not recorded.
*/
class COMMANDKIT_EXPORT ProgressRecorder
{
public:
    /*! \brief Records the progress reports of \a command's runs from now on (see the class). */
    explicit ProgressRecorder(AsyncRelayCommand *command);
    /*! \brief Stops recording; a run held by \c holdAt() stays held until its gate opens. */
    ~ProgressRecorder();
    ProgressRecorder(const ProgressRecorder &) = delete;
    ProgressRecorder &operator=(const ProgressRecorder &) = delete;

    /*! \brief Every report so far, oldest first, each a QVariant holding the body's \c P. */
    [[nodiscard]] QVariantList reports() const;
    /*!
        \brief Every report so far converted to \a P (QVariant's conversion; a report that does not
        convert becomes \c P{}), oldest first.
    */
    template <typename P>
    [[nodiscard]] QList<P> values() const
    {
        QList<P> result;
        for (const QVariant &report : reports())
            result << report.value<P>();
        return result;
    }
    /*!
        \brief Every report so far as text, the way \c PropertyRecorder writes values (gadgets as
        \c {Type{field: value, …}}, lists as \c {[a, b]}).
    */
    [[nodiscard]] QStringList texts() const;
    /*! \brief The number of reports so far. */
    [[nodiscard]] int count() const;
    /*! \brief Forgets the reports so far; the numbering of \c holdAt() goes on. */
    void clear();

    /*!
        \brief Holds the run that makes report number \a report (1 for the first report recorded by
        this recorder) on \a gate: the reporting thread stops right after the report is recorded and
        goes on once \a gate is open, so the test sees the viewmodel mid-run, with that many reports
        made. One hold at a time; a later call replaces it.

        The test waits for the run to get there with <tt>gate.waitForArrivals()</tt>, may cancel it,
        and calls <tt>gate.open()</tt>; a canceled body learns of it at its next check (A14). Only a
        report made on another thread than the recorder's can be held: a report on the test's own
        thread is recorded, not held, and a warning says so, since holding it there would block the
        test itself.
    */
    void holdAt(int report, const Gate &gate);

private:
    struct Shared;
    void watch(AsyncRelayCommand *command);
    std::shared_ptr<Shared> m_shared;
    QPointer<AsyncRelayCommand> m_command;
};

} // namespace CommandKit::Testing
