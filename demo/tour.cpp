// SPDX-License-Identifier: MIT
#include "tour.h"

#include <QtCore/QTextStream>
#include <QtCore/QUrl>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/executiontask.h>
#include <commandkit/scheduling.h>

#include <functional>
#include <memory>
#include <optional>

#include "filehashviewmodel.h"
#include "primesviewmodel.h"
#include "searchviewmodel.h"

using CommandKit::ExecutionTask;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

// Prints "label: 40%" each time the run's progress passes another tenth: a few lines, not one per report.
void printProgress(ExecutionTask *task, const QString &label,
                   std::function<double(const QVariant &)> fraction)
{
    auto printed = std::make_shared<int>(0);
    QObject::connect(task, &ExecutionTask::progressChanged, task, [=] {
        const int tenths = int(fraction(task->progress()) * 10);
        if (tenths > *printed && tenths < 10) {
            *printed = tenths;
            out() << "  " << label << ": " << tenths * 10 << "%" << Qt::endl;
        }
    });
}

// Waits until a run has ended. Its operation ends after the command has processed the end (C10), so the
// command's state and our rows are final here. The caller reports a failure from the run's status.
CommandKit::AsyncAction finished(CommandKit::AsyncAction run)
{
    try {
        co_await run;
    } catch (const std::exception &) {
    }
}

} // namespace

CommandKit::AsyncOperation<bool> runTour(PrimesViewModel *primes, FileHashViewModel *fileHash,
                                         SearchViewModel *search, QStringList numbers, QStringList files,
                                         QString text)
{
    bool ok = true;
    const auto report = [&ok](const CommandKit::AsyncAction &run, const QString &result) {
        if (run.status() == CommandKit::AsyncStatus::Completed) {
            out() << result << Qt::endl;
        } else {
            err() << "commandkit-demo: " << run.errorString() << Qt::endl;
            ok = false;
        }
    };

    // Every check at once (Parallel mode); the results in the order given.
    QList<CommandKit::AsyncAction> checks;
    for (const QString &number : numbers) {
        checks.append(primes->check()->executeAsync(number));
        printProgress(primes->check()->executionTask(), number,
                      [](const QVariant &p) { return p.toDouble(); });
    }
    for (const CommandKit::AsyncAction &check : checks)
        co_await finished(check);
    for (const CommandKit::AsyncAction &check : checks) {
        const std::optional<PrimeResult> result =
            primes->checks()->check(primes->checks()->rowOf(check.id())).result;
        report(check, result ? result->text() : QString());
    }

    // One file after another (Reject mode). The tour reports failures itself (C9).
    fileHash->hash()->setErrorHandler([](std::exception_ptr) {});
    for (const QString &file : files) {
        fileHash->setPath(file);
        const CommandKit::AsyncAction run = fileHash->hash()->executeAsync();
        ExecutionTask *task = fileHash->hash()->executionTask();
        if (task && task->id() == run.id())
            printProgress(task, file, [](const QVariant &p) { return p.value<HashProgress>().fraction(); });
        co_await finished(run);
        report(run, task ? task->result().toString() + QStringLiteral("  ") + file : QString());
    }
    fileHash->hash()->setErrorHandler({});

    // One search, started as the panel starts it: by setting the text (Restart mode).
    if (!text.isEmpty() && !search->folderError().isEmpty()) {
        err() << "commandkit-demo: " << search->folderError() << Qt::endl;
        ok = false;
    } else if (!text.isEmpty()) {
        search->setText(text);
        // It starts after the typing pause (the command's debounce, C22); its task exists from then on.
        const CommandKit::AsyncAction run = search->lastRun();
        co_await finished(run);
        ExecutionTask *task = search->search()->executionTask();
        // The run's own result: every match, not only the first SearchViewModel::maxResults.
        const QStringList matches =
            task && task->id() == run.id() ? task->result().toStringList() : QStringList();
        for (const QString &path : matches)
            out() << path << Qt::endl;
        report(run, QStringLiteral("search \"%1\" in %2: %3 matches")
                        .arg(text, search->folder())
                        .arg(matches.size()));
    }
    co_return ok;
}

bool saveScreenshot(QQmlApplicationEngine &engine, const QUrl &mainQml, const QString &file)
{
    engine.load(mainQml);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return false;
    window->show();
    const QImage image = window->grabWindow();
    if (image.isNull() || !image.save(file)) {
        err() << "commandkit-demo: cannot save the screenshot to " << file << Qt::endl;
        return false;
    }
    out() << "screenshot: " << file << " (" << image.width() << "x" << image.height() << ")" << Qt::endl;
    return true;
}
