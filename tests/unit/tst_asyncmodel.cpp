// SPDX-License-Identifier: MIT
// Model-based random test of AsyncOperation (design.md §8, A3–A10, A12, A14): long seeded random
// sequences of start / report / complete / fail / cancel / close / set handlers / await, applied to real
// operations and to a small reference model, comparing every observable after every step.
//
// COMMANDKIT_MODEL_STEPS (default 100000) and COMMANDKIT_MODEL_SEED (default: random) set the run;
// the seed and the step are printed on failure.
#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>

#include <coroutine>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

using namespace CommandKit;

namespace {

struct TestError : std::runtime_error
{
    explicit TestError(int value)
        : std::runtime_error("test error " + std::to_string(value))
        , value(value)
    {}
    int value;
};

/*! What the driver tells a suspended body to do next. */
struct Instruction
{
    enum Kind { Report, Complete, Fail } kind = Report;
    int value = 0;
};

/*! A mailbox the body awaits; the driver resumes it inline with the next instruction. */
class Mailbox
{
public:
    struct Awaiter
    {
        Mailbox *box;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> handle) noexcept { box->m_waiter = handle; }
        Instruction await_resume() const noexcept { return box->m_next; }
    };
    Awaiter operator co_await() noexcept { return {this}; }

    bool isWaiting() const { return bool(m_waiter); }
    void send(Instruction instruction)
    {
        m_next = instruction;
        std::exchange(m_waiter, nullptr).resume();
    }

private:
    std::coroutine_handle<> m_waiter;
    Instruction m_next;
};

/*! The body under test. With \a failOnCancel it turns a cancellation into an Error (A3). */
AsyncOperation<int, int> controlledBody(std::shared_ptr<Mailbox> box, bool failOnCancel)
{
    auto progress = co_await getProgressToken();
    for (;;) {
        Instruction next;
        try {
            next = co_await *box;
        } catch (const OperationCanceled &) {
            if (failOnCancel)
                throw TestError(-1);
            throw;
        }
        switch (next.kind) {
        case Instruction::Report:
            progress(next.value);
            break;
        case Instruction::Complete:
            co_return next.value;
        case Instruction::Fail:
            throw TestError(next.value);
        }
    }
}

AsyncOperation<int> awaitingBody(AsyncOperation<int, int> op)
{
    co_return co_await op;
}

enum class Outcome { None, Value, Canceled, Failed };

/*! The reference model of one operation. */
struct Model
{
    AsyncStatus status = AsyncStatus::Started;
    bool running = true;
    bool closed = false;
    bool failOnCancel = false;
    bool completedSet = false;
    bool progressSet = false;
    int completedCalls = 0;
    AsyncStatus completedStatus = AsyncStatus::Started;
    int result = 0;
    int errorValue = 0;
    std::vector<int> progress;
};

/*! A real operation with what its handlers observed. */
struct Subject
{
    AsyncOperation<int, int> op;
    std::shared_ptr<Mailbox> box;
    quint64 id = 0;
    Model model;
    std::shared_ptr<int> completedCalls = std::make_shared<int>(0);
    std::shared_ptr<AsyncStatus> completedStatus = std::make_shared<AsyncStatus>(AsyncStatus::Started);
    std::shared_ptr<std::vector<int>> progress = std::make_shared<std::vector<int>>();
    std::vector<AsyncOperation<int>> awaiters;
};

Outcome outcomeOf(const AsyncOperation<int> &op, int *value)
{
    try {
        *value = op.getResults();
        return Outcome::Value;
    } catch (const OperationCanceled &) {
        return Outcome::Canceled;
    } catch (const TestError &e) {
        *value = e.value;
        return Outcome::Failed;
    } catch (...) {
        return Outcome::None;
    }
}

} // namespace

class tst_AsyncModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomSequencesMatchTheModel_A3_A14();

private:
    bool check(Subject &s, QString *why);
    void end(Subject &s, std::optional<int> result, std::optional<int> error, bool canceledAtResume);
};

bool tst_AsyncModel::check(Subject &s, QString *why)
{
    const Model &m = s.model;
    auto fail = [why](const QString &text) {
        *why = text;
        return false;
    };
    if (s.op.id() != s.id)
        return fail(QStringLiteral("id changed (A2)"));
    if (m.closed) {
        try {
            (void)s.op.status();
            return fail(QStringLiteral("status() after close() did not throw (A10)"));
        } catch (const AsyncError &e) {
            if (e.code() != AsyncError::IllegalMethodCall)
                return fail(QStringLiteral("status() after close() threw the wrong code (A10)"));
        }
        return true;
    }
    if (s.op.status() != m.status)
        return fail(QStringLiteral("status %1, model %2 (A3)").arg(int(s.op.status())).arg(int(m.status)));
    if (s.op.isRunning() != m.running)
        return fail(QStringLiteral("isRunning %1, model %2 (A5)").arg(s.op.isRunning()).arg(m.running));
    if (*s.completedCalls != m.completedCalls)
        return fail(QStringLiteral("completed handler ran %1 times, model %2 (A6)")
                        .arg(*s.completedCalls)
                        .arg(m.completedCalls));
    if (m.completedCalls == 1 && *s.completedStatus != m.completedStatus)
        return fail(QStringLiteral("completed handler got the wrong status (A6)"));
    if (*s.progress != m.progress)
        return fail(QStringLiteral("progress reports differ (A7)"));
    const std::exception_ptr error = s.op.errorCode();
    switch (m.status) {
    case AsyncStatus::Started:
    case AsyncStatus::Completed:
        if (error)
            return fail(QStringLiteral("errorCode set while Started/Completed (A9)"));
        break;
    case AsyncStatus::Canceled:
        if (!isCancellation(error))
            return fail(QStringLiteral("errorCode is not an OperationCanceled while Canceled (A9)"));
        break;
    case AsyncStatus::Error:
        if (!error || isCancellation(error))
            return fail(QStringLiteral("errorCode is not the body's exception while Error (A9)"));
        break;
    }
    try {
        const int value = s.op.getResults();
        if (m.status != AsyncStatus::Completed || value != m.result)
            return fail(QStringLiteral("getResults() returned %1 (A8)").arg(value));
    } catch (const AsyncError &e) {
        if (m.status != AsyncStatus::Started || e.code() != AsyncError::IllegalMethodCall)
            return fail(QStringLiteral("getResults() threw AsyncError unexpectedly (A8)"));
    } catch (const OperationCanceled &) {
        if (m.status != AsyncStatus::Canceled)
            return fail(QStringLiteral("getResults() threw OperationCanceled unexpectedly (A8)"));
    } catch (const TestError &e) {
        if (m.status != AsyncStatus::Error || e.value != m.errorValue)
            return fail(QStringLiteral("getResults() rethrew the wrong error (A8)"));
    }
    for (const AsyncOperation<int> &awaiter : s.awaiters) {
        if (awaiter.isRunning() != m.running)
            return fail(QStringLiteral("an awaiter's end does not follow the operation's (A12)"));
        if (m.running)
            continue;
        int value = 0;
        const Outcome outcome = outcomeOf(awaiter, &value);
        const bool same =
            (m.status == AsyncStatus::Completed && outcome == Outcome::Value && value == m.result) ||
            (m.status == AsyncStatus::Canceled && outcome == Outcome::Canceled) ||
            (m.status == AsyncStatus::Error && outcome == Outcome::Failed && value == m.errorValue);
        if (!same)
            return fail(QStringLiteral("an awaiter did not receive getResults() (A12)"));
    }
    return true;
}

void tst_AsyncModel::end(Subject &s, std::optional<int> result, std::optional<int> error,
                         bool canceledAtResume)
{
    Model &m = s.model;
    m.running = false;
    if (canceledAtResume) {
        // A14: the canceled body throws OperationCanceled at its co_await; it may turn it into an Error (A3).
        if (m.failOnCancel) {
            m.status = AsyncStatus::Error;
            m.errorValue = -1;
        }
    } else if (result) {
        m.status = AsyncStatus::Completed;
        m.result = *result;
    } else if (error) {
        m.status = AsyncStatus::Error;
        m.errorValue = *error;
    }
    if (m.completedSet) {
        m.completedCalls = 1;
        m.completedStatus = m.status;
    }
}

void tst_AsyncModel::randomSequencesMatchTheModel_A3_A14()
{
    const int steps = qEnvironmentVariableIsSet("COMMANDKIT_MODEL_STEPS")
                          ? qEnvironmentVariableIntValue("COMMANDKIT_MODEL_STEPS")
                          : 100000;
    const quint32 seed = qEnvironmentVariableIsSet("COMMANDKIT_MODEL_SEED")
                             ? quint32(qEnvironmentVariable("COMMANDKIT_MODEL_SEED").toUInt())
                             : QRandomGenerator::system()->generate();
    QRandomGenerator random(seed);
    std::vector<Subject> subjects;
    int ended = 0;

    for (int step = 0; step < steps; ++step) {
        if (subjects.size() < 4 || (subjects.size() < 16 && random.bounded(10) == 0)) {
            Subject s;
            s.box = std::make_shared<Mailbox>();
            s.model.failOnCancel = random.bounded(4) == 0;
            s.op = controlledBody(s.box, s.model.failOnCancel);
            s.id = s.op.id();
            subjects.push_back(std::move(s));
        }
        const int index = int(random.bounded(quint32(subjects.size())));
        Subject &s = subjects[std::size_t(index)];
        Model &m = s.model;
        const int action = int(random.bounded(9));
        const int value = int(random.bounded(1000));
        QString what;

        switch (action) {
        case 0: // report
        case 1: // complete
        case 2: // fail
            what = QStringLiteral("send %1").arg(action);
            if (m.running && s.box->isWaiting()) {
                const bool canceled = m.status == AsyncStatus::Canceled;
                const auto kind = Instruction::Kind(action);
                s.box->send({kind, value});
                if (canceled)
                    end(s, std::nullopt, std::nullopt, true);
                else if (kind == Instruction::Report) {
                    if (m.progressSet)
                        m.progress.push_back(value);
                } else if (kind == Instruction::Complete)
                    end(s, value, std::nullopt, false);
                else
                    end(s, std::nullopt, value, false);
            }
            break;
        case 3: // cancel (A4)
            what = QStringLiteral("cancel");
            s.op.cancel();
            if (!m.closed && m.status == AsyncStatus::Started)
                m.status = AsyncStatus::Canceled;
            break;
        case 4: // close (A10)
            what = QStringLiteral("close");
            try {
                s.op.close();
                QVERIFY2(!m.running,
                         qPrintable(QStringLiteral("close() while running did not throw, seed %1 step %2")
                                        .arg(seed)
                                        .arg(step)));
                m.closed = true;
            } catch (const AsyncError &e) {
                QVERIFY2(
                    m.running && e.code() == AsyncError::IllegalStateChange,
                    qPrintable(
                        QStringLiteral("close() threw unexpectedly, seed %1 step %2").arg(seed).arg(step)));
            }
            break;
        case 5: // setCompleted (A6)
            what = QStringLiteral("setCompleted");
            try {
                s.op.setCompleted([calls = s.completedCalls, status = s.completedStatus](
                                      const AsyncOperation<int, int> &, AsyncStatus st) {
                    ++*calls;
                    *status = st;
                });
                QVERIFY2(!m.completedSet && !m.closed,
                         qPrintable(QStringLiteral("second setCompleted() did not throw, seed %1 step %2")
                                        .arg(seed)
                                        .arg(step)));
                m.completedSet = true;
                if (!m.running) {
                    m.completedCalls = 1;
                    m.completedStatus = m.status;
                }
            } catch (const AsyncError &e) {
                const bool expected = (m.completedSet && e.code() == AsyncError::IllegalDelegateAssignment) ||
                                      (m.closed && e.code() == AsyncError::IllegalMethodCall);
                QVERIFY2(expected,
                         qPrintable(QStringLiteral("setCompleted() threw unexpectedly, seed %1 step %2")
                                        .arg(seed)
                                        .arg(step)));
            }
            break;
        case 6: // replace the progress handler (A7)
            what = QStringLiteral("setProgress");
            if (!m.closed) {
                s.progress = std::make_shared<std::vector<int>>();
                m.progress.clear();
                m.progressSet = true;
                s.op.setProgress([values = s.progress](const AsyncOperation<int, int> &, const int &v) {
                    values->push_back(v);
                });
            }
            break;
        case 7: // await from another coroutine (A12)
            what = QStringLiteral("await");
            if (!m.closed && s.awaiters.size() < 3)
                s.awaiters.push_back(awaitingBody(s.op));
            break;
        case 8: // drop a finished subject now and then
            what = QStringLiteral("drop");
            if (!m.running && subjects.size() > 4) {
                subjects.erase(subjects.begin() + index);
                ++ended;
                continue;
            }
            break;
        }
        QString why;
        if (qEnvironmentVariableIsSet("COMMANDKIT_MODEL_TRACE"))
            qInfo("step %d: %s on %llu -> status %d running %d", step, qPrintable(what),
                  (unsigned long long)s.id, int(m.status), int(m.running));
        if (!check(s, &why))
            QFAIL(qPrintable(QStringLiteral("seed %1, step %2 (%3 on operation %4): %5")
                                 .arg(seed)
                                 .arg(step)
                                 .arg(what)
                                 .arg(s.id)
                                 .arg(why)));
    }
    // Let every suspended body end, so no coroutine frame outlives the test.
    for (Subject &s : subjects) {
        if (s.model.running && s.box->isWaiting())
            s.box->send({Instruction::Complete, 0});
        QVERIFY(s.model.closed || !s.op.isRunning());
    }
    qInfo("model test: %d steps, seed %u, %d operations ended and dropped", steps, seed, ended);
}

QTEST_GUILESS_MAIN(tst_AsyncModel)

#include "tst_asyncmodel.moc"
