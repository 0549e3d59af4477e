// SPDX-License-Identifier: MIT
// Model-based random tests (design.md §8). Operations (A3–A10, A12, A14): long seeded random sequences
// of start / report / complete / fail / cancel / close / set handlers / await. Commands (C4, C7–C11,
// C13): execute / executeAsync / cancel / cancel a run's operation / complete / fail / delete / notify
// on AsyncRelayCommands in all four modes (Parallel with and without maxConcurrency), typed and
// untyped, with coroutine and plain-function delegates. Each is applied to the real objects and to a
// small reference model, comparing every observable after every step.
//
// COMMANDKIT_MODEL_STEPS (default 100000) and COMMANDKIT_MODEL_SEED (default: random) set a run, for
// each test; the seed is printed at the start and, with the step, on failure.
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/executiontask.h>

#include <coroutine>
#include <deque>
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

int modelSteps()
{
    return qEnvironmentVariableIsSet("COMMANDKIT_MODEL_STEPS")
               ? qEnvironmentVariableIntValue("COMMANDKIT_MODEL_STEPS")
               : 100000;
}

quint32 modelSeed()
{
    return qEnvironmentVariableIsSet("COMMANDKIT_MODEL_SEED")
               ? quint32(qEnvironmentVariable("COMMANDKIT_MODEL_SEED").toUInt())
               : QRandomGenerator::system()->generate();
}

// ---------------------------------------------------------------------------------------- commands

/*!
    What a command's delegate does, shared with the test and outliving the command: a body suspended on
    its mailbox after the command is deleted must not touch the deleted delegate (C13).
*/
struct DelegateLog
{
    std::vector<std::shared_ptr<Mailbox>> boxes; // one per delegate call, null for a run that ends at once
    std::vector<int> values;                     // what each call ran with
    bool allowed = true;                         // the predicate's answer (not bindable: notify)

    /*! A run whose value is a multiple of 8 completes inside the delegate call; the others wait. */
    std::shared_ptr<Mailbox> begin(int value)
    {
        values.push_back(value);
        boxes.push_back(value % 8 == 0 ? nullptr : std::make_shared<Mailbox>());
        return boxes.back();
    }
    /*! An untyped command's runs are numbered by call. */
    int nextValue() const { return int(values.size()) + 1; }
};

AsyncOperation<int> commandBody(std::shared_ptr<Mailbox> box)
{
    for (;;) {
        const Instruction next = co_await *box;
        if (next.kind == Instruction::Complete)
            co_return next.value;
        if (next.kind == Instruction::Fail)
            throw TestError(next.value);
    }
}

AsyncOperation<int> valueNow(int value)
{
    co_return value;
}

enum class Phase { Waiting, Active, Ended };

/*! One run, as the model sees it, with the real handle executeAsync() returned (if it was used). */
struct CommandRun
{
    int value = 0;
    bool viaAsync = false;
    AsyncAction op;
    Phase phase = Phase::Waiting;
    AsyncStatus status = AsyncStatus::Started;
    int result = 0;
    int call = -1; // the delegate call that started it
};

/*! A real command and its reference model. */
struct CommandSubject
{
    std::unique_ptr<QObject> owner; // parent of the command: deleting it deletes the command
    AsyncRelayCommand *command = nullptr;
    std::shared_ptr<DelegateLog> log = std::make_shared<DelegateLog>();
    ConcurrencyMode mode = ConcurrencyMode::Reject;
    int limit = 0;
    bool typed = true;
    bool coroutine = true;
    // Whether a view reads executionTask after every step; else it is read now and then, so that runs
    // nobody reads make no task and some tasks are made late, from the run's values (C6, P2).
    bool watched = true;
    int checks = 0;
    std::shared_ptr<int> runningSignals = std::make_shared<int>(0);
    std::shared_ptr<int> errorSignals = std::make_shared<int>(0);

    // The model.
    std::vector<std::shared_ptr<CommandRun>> runs; // tracked: those not yet ended, and recent ones
    std::deque<std::shared_ptr<CommandRun>> waiting;
    std::vector<std::shared_ptr<CommandRun>> active;
    std::shared_ptr<CommandRun> latest;
    bool requested = false;
    bool reportedRunning = false;
    int runningChanges = 0;
    int errors = 0;
    int calls = 0;
};

/*! The runs of deleted commands, whose bodies still wait (C13). */
struct Orphan
{
    std::shared_ptr<CommandRun> run;
    std::shared_ptr<Mailbox> box;
};

} // namespace

class tst_AsyncModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomSequencesMatchTheModel_A3_A14();
    void randomCommandSequencesMatchTheModel_C7_C8_C11_C13();

private:
    // The command model's transitions, named after what the command does (design.md C7, C8).
    static bool hasRoom(const CommandSubject &s);
    static void noteRunning(CommandSubject &s);
    static void startRun(CommandSubject &s, const std::shared_ptr<CommandRun> &run);
    static void endRun(CommandSubject &s, const std::shared_ptr<CommandRun> &run, AsyncStatus status,
                       int value);
    static void startWaiting(CommandSubject &s);
    static std::unique_ptr<CommandSubject> makeCommand(QRandomGenerator &random);
    static bool checkCommand(CommandSubject &s, QString *why);
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
    const int steps = modelSteps();
    const quint32 seed = modelSeed();
    qInfo("operation model: %d steps, seed %u (COMMANDKIT_MODEL_SEED)", steps, seed);
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

// ---------------------------------------------------------------------------------------------------
// Commands

bool tst_AsyncModel::hasRoom(const CommandSubject &s)
{
    if (s.mode == ConcurrencyMode::Parallel)
        return s.limit == 0 || s.active.size() < std::size_t(s.limit);
    return s.active.empty();
}

void tst_AsyncModel::noteRunning(CommandSubject &s)
{
    // isRunningChanged goes out when an update closes with a value other than the last one announced.
    const bool running = !s.active.empty();
    if (running != s.reportedRunning) {
        s.reportedRunning = running;
        ++s.runningChanges;
    }
}

void tst_AsyncModel::startRun(CommandSubject &s, const std::shared_ptr<CommandRun> &run)
{
    // C7: the run is the command's state before its delegate is called; then the delegate runs.
    run->phase = Phase::Active;
    s.active.push_back(run);
    s.latest = run;
    s.requested = false;
    noteRunning(s);
    run->call = s.calls++;
    if (!s.typed)
        run->value = s.calls; // DelegateLog::nextValue()
    if (run->value % 8 == 0)
        endRun(s, run, AsyncStatus::Completed, run->value);
}

void tst_AsyncModel::endRun(CommandSubject &s, const std::shared_ptr<CommandRun> &run, AsyncStatus status,
                            int value)
{
    run->phase = Phase::Ended;
    if (run->status == AsyncStatus::Started)
        run->status = status;
    if (run->status == AsyncStatus::Completed)
        run->result = value;
    if (run->status == AsyncStatus::Error)
        ++s.errors;
    s.active.erase(std::find(s.active.begin(), s.active.end(), run));
    startWaiting(s);
    noteRunning(s);
}

void tst_AsyncModel::startWaiting(CommandSubject &s)
{
    // C8: Queue after the running run, Parallel below maxConcurrency, in call order.
    while (!s.waiting.empty() && hasRoom(s)) {
        const std::shared_ptr<CommandRun> next = s.waiting.front();
        s.waiting.pop_front();
        startRun(s, next);
    }
}

std::unique_ptr<CommandSubject> tst_AsyncModel::makeCommand(QRandomGenerator &random)
{
    auto s = std::make_unique<CommandSubject>();
    const ConcurrencyMode modes[] = {ConcurrencyMode::Reject, ConcurrencyMode::Parallel,
                                     ConcurrencyMode::Restart, ConcurrencyMode::Queue};
    s->mode = modes[random.bounded(4)];
    s->limit = s->mode == ConcurrencyMode::Parallel ? int(random.bounded(4)) : 0;
    s->typed = random.bounded(2) == 0;
    s->coroutine = random.bounded(2) == 0;
    s->watched = random.bounded(2) == 0;
    s->owner = std::make_unique<QObject>();
    DelegateLog *log = s->log.get(); // the delegates use it only before their first suspension
    QObject *parent = s->owner.get();
    const auto allowed = [log] { return log->allowed; };
    if (s->typed && s->coroutine) {
        s->command = new AsyncRelayCommand(
            [log](int value) -> AsyncOperation<int> {
                const std::shared_ptr<Mailbox> box = log->begin(value);
                if (!box)
                    co_return value;
                for (;;) {
                    const Instruction next = co_await *box;
                    if (next.kind == Instruction::Complete)
                        co_return next.value;
                    if (next.kind == Instruction::Fail)
                        throw TestError(next.value);
                }
            },
            [log](int) { return log->allowed; }, parent);
    } else if (s->typed) {
        s->command = new AsyncRelayCommand(
            [log](int value) {
                std::shared_ptr<Mailbox> box = log->begin(value);
                return box ? commandBody(std::move(box)) : valueNow(value);
            },
            [log](int) { return log->allowed; }, parent);
    } else if (s->coroutine) {
        s->command = new AsyncRelayCommand(
            [log]() -> AsyncOperation<int> {
                const int value = log->nextValue();
                const std::shared_ptr<Mailbox> box = log->begin(value);
                if (!box)
                    co_return value;
                for (;;) {
                    const Instruction next = co_await *box;
                    if (next.kind == Instruction::Complete)
                        co_return next.value;
                    if (next.kind == Instruction::Fail)
                        throw TestError(next.value);
                }
            },
            allowed, parent);
    } else {
        s->command = new AsyncRelayCommand(
            [log] {
                const int value = log->nextValue();
                std::shared_ptr<Mailbox> box = log->begin(value);
                return box ? commandBody(std::move(box)) : valueNow(value);
            },
            allowed, parent);
    }
    s->command->setConcurrency(s->mode);
    s->command->setMaxConcurrency(s->limit);
    QObject::connect(s->command, &AsyncRelayCommand::isRunningChanged, parent,
                     [count = s->runningSignals] { ++*count; });
    // Connected, so errors count as handled (C9) and the process-wide handler stays quiet.
    QObject::connect(s->command, &Command::errorOccurred, parent, [count = s->errorSignals] { ++*count; });
    return s;
}

bool tst_AsyncModel::checkCommand(CommandSubject &s, QString *why)
{
    auto fail = [why](const QString &text) {
        *why = text;
        return false;
    };
    AsyncRelayCommand &command = *s.command;
    const bool running = !s.active.empty();
    if (command.isRunning() != running)
        return fail(QStringLiteral("isRunning %1, model %2 (C7)").arg(command.isRunning()).arg(running));
    const bool cancelable = std::any_of(s.active.begin(), s.active.end(),
                                        [](const auto &run) { return run->status == AsyncStatus::Started; });
    if (command.canBeCanceled() != cancelable)
        return fail(
            QStringLiteral("canBeCanceled %1, model %2 (C6)").arg(command.canBeCanceled()).arg(cancelable));
    if (command.isCancellationRequested() != s.requested)
        return fail(QStringLiteral("isCancellationRequested %1, model %2 (C11)")
                        .arg(command.isCancellationRequested())
                        .arg(s.requested));
    const bool canExecute = s.log->allowed && !(s.mode == ConcurrencyMode::Reject && running);
    if (command.canExecute() != canExecute)
        return fail(
            QStringLiteral("canExecute %1, model %2 (C3, C8)").arg(command.canExecute()).arg(canExecute));
    if (*s.runningSignals != s.runningChanges)
        return fail(QStringLiteral("isRunningChanged %1 times, model %2 (C7, C14)")
                        .arg(*s.runningSignals)
                        .arg(s.runningChanges));
    if (*s.errorSignals != s.errors)
        return fail(
            QStringLiteral("errorOccurred %1 times, model %2 (C9)").arg(*s.errorSignals).arg(s.errors));
    if (int(s.log->values.size()) != s.calls)
        return fail(QStringLiteral("the delegate ran %1 times, model %2 (C8)")
                        .arg(s.log->values.size())
                        .arg(s.calls));
    // A view reads executionTask after every step; a command without one has it read now and then.
    if (s.watched || ++s.checks % 5 == 0) {
        ExecutionTask *task = command.executionTask();
        if (bool(task) != bool(s.latest))
            return fail(
                QStringLiteral("executionTask set: %1, model %2 (C6)").arg(bool(task)).arg(bool(s.latest)));
        if (task) {
            const CommandRun &latest = *s.latest;
            if (latest.viaAsync && task->id() != latest.op.id())
                return fail(QStringLiteral("executionTask is not the latest run (C6, C8)"));
            if (task->status() != latest.status)
                return fail(QStringLiteral("task status %1, model %2 (C6)")
                                .arg(int(task->status()))
                                .arg(int(latest.status)));
            if (task->isRunning() != (latest.phase == Phase::Active))
                return fail(QStringLiteral("task isRunning %1, model %2 (C7)")
                                .arg(task->isRunning())
                                .arg(latest.phase == Phase::Active));
            const QVariant result = latest.status == AsyncStatus::Completed && latest.phase == Phase::Ended
                                        ? QVariant(latest.result)
                                        : QVariant();
            if (task->result() != result)
                return fail(QStringLiteral("task result %1, model %2 (C6)")
                                .arg(task->result().toString(), result.toString()));
        }
    }
    for (const std::shared_ptr<CommandRun> &run : s.runs) {
        if (!run->viaAsync)
            continue;
        if (run->op.status() != run->status)
            return fail(QStringLiteral("executeAsync operation %1: status %2, model %3 (C10)")
                            .arg(run->op.id())
                            .arg(int(run->op.status()))
                            .arg(int(run->status)));
        if (run->op.isRunning() != (run->phase != Phase::Ended))
            return fail(QStringLiteral("executeAsync operation %1: isRunning %2, model %3 (C10)")
                            .arg(run->op.id())
                            .arg(run->op.isRunning())
                            .arg(run->phase != Phase::Ended));
    }
    for (std::size_t call = 0; call < s.runs.size(); ++call) {
        const CommandRun &run = *s.runs[call];
        if (run.call >= 0 && s.typed && s.log->values[std::size_t(run.call)] != run.value)
            return fail(QStringLiteral("call %1 ran with %2, model %3 (C4, C8)")
                            .arg(run.call)
                            .arg(s.log->values[std::size_t(run.call)])
                            .arg(run.value));
    }
    return true;
}

void tst_AsyncModel::randomCommandSequencesMatchTheModel_C7_C8_C11_C13()
{
    const int steps = modelSteps();
    const quint32 seed = modelSeed();
    qInfo("command model: %d steps, seed %u (COMMANDKIT_MODEL_SEED)", steps, seed);
    QRandomGenerator random(seed);
    QElapsedTimer timer;
    timer.start();
    std::vector<std::unique_ptr<CommandSubject>> subjects;
    std::vector<Orphan> orphans;
    int deleted = 0;
    int runs = 0;
    const bool trace = qEnvironmentVariableIsSet("COMMANDKIT_MODEL_TRACE");

    for (int step = 0; step < steps; ++step) {
        if (subjects.size() < 2 || (subjects.size() < 4 && random.bounded(20) == 0))
            subjects.push_back(makeCommand(random));
        const std::size_t index = random.bounded(quint32(subjects.size()));
        CommandSubject &s = *subjects[index];
        AsyncRelayCommand &command = *s.command;
        const int action = int(random.bounded(100));
        QString what;

        if (action < 30) { // execute / executeAsync (C4, C8, C10)
            const bool viaAsync = random.bounded(2) == 0;
            const int kind = int(random.bounded(16));
            int value = int(random.bounded(1000));
            QVariant parameter(value);
            bool wrongType = false;
            if (s.typed && kind == 0) {
                parameter = QVariant(QStringLiteral("not a number"));
                wrongType = true;
            } else if (s.typed && kind == 1) {
                parameter = QVariant(QString::number(value)); // converted as in C4
            }
            what = QStringLiteral("%1(%2)").arg(
                viaAsync ? QStringLiteral("executeAsync") : QStringLiteral("execute"), parameter.toString());
            auto run = std::make_shared<CommandRun>();
            run->value = s.typed ? value : 0;
            run->viaAsync = viaAsync;
            if (viaAsync)
                run->op = command.executeAsync(parameter);
            else
                command.execute(parameter);
            const bool admitted =
                !wrongType && s.log->allowed && !(s.mode == ConcurrencyMode::Reject && !s.active.empty());
            if (wrongType)
                ++s.errors; // C4: reported through C9
            if (!admitted) {
                // Refused: executeAsync's operation is over, Canceled (C10).
                run->phase = Phase::Ended;
                run->status = AsyncStatus::Canceled;
            } else {
                ++runs;
                if (s.mode == ConcurrencyMode::Restart) {
                    // C8: the runs in progress are canceled first (not a cancellation request).
                    for (const auto &other : s.active) {
                        if (other->status == AsyncStatus::Started)
                            other->status = AsyncStatus::Canceled;
                    }
                }
                const bool waits =
                    (s.mode == ConcurrencyMode::Queue || s.mode == ConcurrencyMode::Parallel) &&
                    (!s.waiting.empty() || !hasRoom(s));
                if (waits)
                    s.waiting.push_back(run);
                else
                    startRun(s, run);
            }
            if (viaAsync || run->phase != Phase::Ended)
                s.runs.push_back(run);
        } else if (action < 55) { // complete or fail a run that waits on its mailbox (C7, C9)
            std::vector<std::shared_ptr<CommandRun>> waitingOnBox;
            for (const auto &run : s.active) {
                const auto &box = s.log->boxes[std::size_t(run->call)];
                if (box && box->isWaiting())
                    waitingOnBox.push_back(run);
            }
            if (!waitingOnBox.empty()) {
                const auto run = waitingOnBox[random.bounded(quint32(waitingOnBox.size()))];
                const bool completes = random.bounded(3) != 0;
                const int value = int(random.bounded(1000));
                what = QStringLiteral("%1 call %2 with %3")
                           .arg(completes ? QStringLiteral("complete") : QStringLiteral("fail"))
                           .arg(run->call)
                           .arg(value);
                // A canceled body throws OperationCanceled when it resumes (A14): it ends Canceled.
                const AsyncStatus status = run->status == AsyncStatus::Canceled ? AsyncStatus::Canceled
                                           : completes                          ? AsyncStatus::Completed
                                                                                : AsyncStatus::Error;
                s.log->boxes[std::size_t(run->call)]->send(
                    {completes ? Instruction::Complete : Instruction::Fail, value});
                endRun(s, run, status, value);
            }
        } else if (action < 65) { // cancel() (C11)
            what = QStringLiteral("cancel");
            command.cancel();
            if (!s.active.empty() || !s.waiting.empty()) {
                s.requested = true;
                for (const auto &run : s.waiting) {
                    run->phase = Phase::Ended;
                    run->status = AsyncStatus::Canceled;
                }
                s.waiting.clear();
                for (const auto &run : s.active) {
                    if (run->status == AsyncStatus::Started)
                        run->status = AsyncStatus::Canceled;
                }
            }
        } else if (action < 75) { // cancel one run's executeAsync operation (C8, C10, C11)
            std::vector<std::shared_ptr<CommandRun>> cancelable;
            for (const auto &run : s.runs) {
                if (run->viaAsync && run->phase != Phase::Ended)
                    cancelable.push_back(run);
            }
            if (!cancelable.empty()) {
                const auto run = cancelable[random.bounded(quint32(cancelable.size()))];
                what = QStringLiteral("cancel the operation of call %1").arg(run->call);
                const bool started = run->status == AsyncStatus::Started;
                run->op.cancel();
                if (started && run->phase == Phase::Waiting) {
                    // A waiting run ends Canceled without starting; no request on the command.
                    run->phase = Phase::Ended;
                    run->status = AsyncStatus::Canceled;
                    s.waiting.erase(std::find(s.waiting.begin(), s.waiting.end(), run));
                } else if (started) {
                    run->status = AsyncStatus::Canceled;
                    s.requested = true;
                }
            }
        } else if (action < 85) { // notify, after the predicate's input changed or not (C3)
            const bool flip = random.bounded(2) == 0;
            what = QStringLiteral("notify%1").arg(flip ? QStringLiteral(" (flipped)") : QString());
            if (flip)
                s.log->allowed = !s.log->allowed;
            const int before = command.canExecuteRevision();
            command.notifyCanExecuteChanged();
            if (command.canExecuteRevision() != before + 1)
                QFAIL(qPrintable(
                    QStringLiteral("seed %1, step %2: notifyCanExecuteChanged() emitted %3 times (C3)")
                        .arg(seed)
                        .arg(step)
                        .arg(command.canExecuteRevision() - before)));
        } else if (action < 86) { // delete the command mid-run (C13)
            what = QStringLiteral("delete");
            for (const auto &run : s.waiting) {
                run->phase = Phase::Ended;
                run->status = AsyncStatus::Canceled;
            }
            for (const auto &run : s.active) {
                if (run->status == AsyncStatus::Started)
                    run->status = AsyncStatus::Canceled;
                orphans.push_back({run, s.log->boxes[std::size_t(run->call)]});
            }
            std::vector<std::shared_ptr<CommandRun>> operations;
            for (const auto &run : s.runs) {
                if (run->viaAsync)
                    operations.push_back(run);
            }
            std::unique_ptr<CommandSubject> gone = std::move(subjects[index]);
            subjects.erase(subjects.begin() + std::ptrdiff_t(index));
            gone->owner.reset();
            ++deleted;
            // C10, C13: the operations end when their bodies have unwound, Canceled; waiting ones now.
            for (const auto &run : operations) {
                const bool ended = run->phase == Phase::Ended;
                if (run->op.status() != run->status || run->op.isRunning() == ended)
                    QFAIL(qPrintable(
                        QStringLiteral("seed %1, step %2: after delete, operation %3 is %4/%5 (C13)")
                            .arg(seed)
                            .arg(step)
                            .arg(run->op.id())
                            .arg(int(run->op.status()))
                            .arg(run->op.isRunning())));
            }
            continue;
        } else if (!orphans.empty()) { // let a deleted command's body end (C13)
            const std::size_t which = random.bounded(quint32(orphans.size()));
            Orphan orphan = orphans[which];
            orphans.erase(orphans.begin() + std::ptrdiff_t(which));
            what = QStringLiteral("end an orphan");
            if (orphan.box && orphan.box->isWaiting())
                orphan.box->send({Instruction::Complete, 1});
            if (orphan.run->viaAsync) {
                if (orphan.run->op.status() != AsyncStatus::Canceled || orphan.run->op.isRunning())
                    QFAIL(qPrintable(
                        QStringLiteral("seed %1, step %2: a deleted command's operation ended %3 (C13)")
                            .arg(seed)
                            .arg(step)
                            .arg(int(orphan.run->op.status()))));
            }
            continue;
        }

        QString why;
        if (trace)
            qInfo("step %d: %s on a %s command", step, qPrintable(what),
                  qPrintable(QStringLiteral("%1 %2 %3 limit %4")
                                 .arg(int(s.mode))
                                 .arg(s.typed ? QStringLiteral("typed") : QStringLiteral("untyped"))
                                 .arg(s.coroutine ? QStringLiteral("coroutine") : QStringLiteral("function"))
                                 .arg(s.limit)));
        if (!checkCommand(s, &why))
            QFAIL(qPrintable(QStringLiteral("seed %1, step %2 (%3; mode %4, %5, %6, limit %7): %8")
                                 .arg(seed)
                                 .arg(step)
                                 .arg(what)
                                 .arg(int(s.mode))
                                 .arg(s.typed ? QStringLiteral("typed") : QStringLiteral("untyped"))
                                 .arg(s.coroutine ? QStringLiteral("coroutine") : QStringLiteral("function"))
                                 .arg(s.limit)
                                 .arg(why)));
        // Forget ended runs that are no longer the latest: the list stays short.
        s.runs.erase(
            std::remove_if(s.runs.begin(), s.runs.end(),
                           [&s](const auto &run) { return run->phase == Phase::Ended && run != s.latest; }),
            s.runs.end());
        if (step % 64 == 0) {
            // Replaced tasks are deleted with deleteLater() (P6).
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            QCoreApplication::sendPostedEvents();
        }
    }
    // Let every body end, so no coroutine frame outlives the test.
    for (const auto &subject : subjects) {
        subject->command->cancel();
        for (const auto &box : subject->log->boxes) {
            if (box && box->isWaiting())
                box->send({Instruction::Complete, 0});
        }
        QVERIFY(!subject->command->isRunning());
    }
    for (const Orphan &orphan : orphans) {
        if (orphan.box && orphan.box->isWaiting())
            orphan.box->send({Instruction::Complete, 0});
    }
    subjects.clear();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::sendPostedEvents();
    qInfo("command model: %d steps, seed %u, %d runs admitted, %d commands deleted mid-run, %lld ms", steps,
          seed, runs, deleted, timer.elapsed());
}

QTEST_GUILESS_MAIN(tst_AsyncModel)

#include "tst_asyncmodel.moc"
