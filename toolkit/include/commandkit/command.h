// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QProperty>
#include <QtCore/QVariant>

#include <exception>
#include <functional>
#include <memory>

#include "commandkit/commandkit_export.h"
#include "commandkit/detail/parametertype.h"

namespace CommandKit {

class CommandGroup;

/*!
    \brief The abstract command of MVVM (design.md C1): what a button, menu item or shortcut runs.

    \c canExecute is the answer for an empty parameter, a Qt 6 bindable property: the command's
    predicate is evaluated inside a property binding, so when it reads bindable properties
    (\c QProperty, \c Q_OBJECT_BINDABLE_PROPERTY, another command's \c canExecute or \c isRunning),
    \c canExecute follows them by itself and \c canExecuteChanged fires once per real change (C3).
    For inputs that are not bindable, call \c notifyCanExecuteChanged().

    \c canExecuteChanged means "re-query": it also fires on \c notifyCanExecuteChanged() and, for an
    \c AsyncRelayCommand in Reject mode, when a run starts or ends, so parameterised listeners call
    \c canExecuteWith() again.

    In QML, a binding that reads \c canExecute depends on its value only (it is a BINDABLE property),
    so a re-query without a change of that value would not reach it. Read \c canExecuteRevision, a
    plain notifying property that changes with every \c canExecuteChanged, to depend on each re-query:
    \code
    Button {
        enabled: root.command.canExecuteRevision, root.command.canExecuteWith(field.text)
        onClicked: root.command.execute(field.text)
    }
    \endcode

    Errors (C9): an exception from the delegate or the predicate never leaves \c execute(). It goes to
    the command's error handler if one is set, is emitted as \c errorOccurred, and when neither exists
    (no handler, no receiver) to the process-wide handler of \c setUnhandledErrorHandler().

    Pacing (C22, C23): \c debounce coalesces a burst of \c execute() calls into one run with the last
    parameter, \c debounce ms after the last call (search-as-you-type, with Restart mode on an
    \c AsyncRelayCommand); \c throttle runs the first call at once and ignores the calls of the next
    \c throttle ms (a button that must not run twice on a double click). Both time on CommandKit's
    clock (A23), which a \c Testing::VirtualClock replaces in tests.
    \code
    search->setConcurrency(CommandKit::ConcurrencyMode::Restart);
    search->setDebounce(300); // one search, 300 ms after the last keystroke
    \endcode


    A command may belong to one \c CommandGroup (C25): while another member runs, \c canExecute and
    \c canExecuteWith() answer false and \c execute() starts nothing, and its own \c execute() counts
    as running for the group. A \c CompositeCommand (C24) runs several commands as one.

    Uncreatable from QML; see \c RelayCommand, \c AsyncRelayCommand and \c CompositeCommand.
    \note A command lives on its QObject thread: call \c execute() and \c canExecuteWith() there.
    \c notifyCanExecuteChanged() may be called from any thread (C12). Create a command on the thread
    it is to live on: its \c canExecute is a Qt property binding, and Qt refuses to \c moveToThread()
    an object that has bindings.
*/
class COMMANDKIT_EXPORT Command : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool canExecute READ canExecute NOTIFY canExecuteChanged BINDABLE bindableCanExecute FINAL)
    Q_PROPERTY(int canExecuteRevision READ canExecuteRevision NOTIFY canExecuteChanged FINAL)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged BINDABLE bindableLastError FINAL)
    Q_PROPERTY(
        int debounce READ debounce WRITE setDebounce NOTIFY debounceChanged BINDABLE bindableDebounce FINAL)
    Q_PROPERTY(
        int throttle READ throttle WRITE setThrottle NOTIFY throttleChanged BINDABLE bindableThrottle FINAL)

public:
    /*! \brief A command's own error handler (C9): receives the exception of a failed run or predicate. */
    using ErrorHandler = std::function<void(std::exception_ptr error)>;
    /*!
        \brief Reports a parameter of the wrong type to the code that called \c execute() (C4). The QML
        layer installs one that raises a JavaScript error in the calling QML code.
    */
    using WrongParameterReporter = std::function<void(Command *command, const QString &message)>;

    ~Command() override;

    /*!
        \brief Whether the command can execute with an empty QVariant as parameter (C1, C3): what a
        button without a parameter binds its \c enabled to.

        For a typed delegate an empty QVariant converts as QVariant converts it (C4), so this is the
        answer for a default-constructed \c T (\c QString{}, \c 0, a null pointer, an empty
        \c std::optional). The value is a cached binding, cheap to read; read it on the command's thread.
    */
    [[nodiscard]] bool canExecute() const;
    /*!
        \brief The bindable of \c canExecute, for C++ property bindings on the command's thread (C3):
        another command's predicate that reads it follows this command by itself. Only read it:
        setting a value or a binding through it would replace the command's own binding.
    */
    [[nodiscard]] QBindable<bool> bindableCanExecute();

    /*!
        \brief A counter that goes up by one with every \c canExecuteChanged, just before it is emitted:
        what a QML binding reads to be re-evaluated on every "re-query" (C3, C14).

        A QML binding that reads the BINDABLE \c canExecute follows its value, not its NOTIFY signal,
        so \c notifyCanExecuteChanged() or the start or end of a run in Reject mode, which leave that
        value as it was, would not re-evaluate \c {enabled: cmd.canExecuteWith(x)}. This property is
        not bindable and notifies with \c canExecuteChanged, so
        \c {enabled: cmd.canExecuteRevision, cmd.canExecuteWith(x)} asks again each time. Its value has
        no meaning beyond changing (it wraps around); read it on the command's thread.
    */
    [[nodiscard]] int canExecuteRevision() const { return int(m_canExecuteRevision); }

    /*!
        \brief Whether the command can execute with \a parameter (C1, C4): the parameter converts to the
        delegate's type, the predicate says yes, and the concurrency mode allows it. A wrong type
        answers false without reporting; a predicate that throws answers false and reports (C9).

        A throwing predicate's report is posted, so it reaches the error handler and \c errorOccurred
        on the command's thread after this returns, never from inside a binding. Call it on the
        command's thread. Never throws.
    */
    Q_INVOKABLE bool canExecuteWith(const QVariant &parameter);

    /*!
        \brief Runs the command with \a parameter when \c canExecuteWith(parameter) is true; otherwise
        nothing runs. A parameter that does not convert is reported as an error (C4, C9). Never throws.

        Like \c QAction::trigger() on a disabled action, a refused call is silent. \a parameter is
        converted with QVariant's own rules (\c QMetaType::convert, lossy numeric conversions included);
        an empty QVariant (no argument) becomes a default-constructed \c T. A wrong type (a value that is
        not empty and does not convert) is reported synchronously to the error chain and to the
       wrong-parameter reporter, which raises a JavaScript error when the call came from QML. A \c
       RelayCommand returns after its delegate; an \c AsyncRelayCommand after its delegate's first suspension
       (A1, C7). Call it on the command's thread.
    */
    Q_INVOKABLE void execute(const QVariant &parameter = QVariant());

    /*!
        \brief Re-evaluates \c canExecute for inputs that are not bindable and always emits
        \c canExecuteChanged once (C3). Callable from any thread; from another thread it is posted to
        the command's thread.
    */
    Q_INVOKABLE void notifyCanExecuteChanged();

    /*!
        \brief The message of the latest failed run (C18): cleared when a run starts, set to the
        exception's \c what() when a run ends with an error; empty while no run has failed since the
        latest start. What an error label binds to: \c {text: vm.save.lastError}.

        A canceled run leaves it empty (cancellation is not an error, C9); a throwing predicate or a
        parameter of the wrong type (C4) is not a run and leaves it as it is. For an
        \c AsyncRelayCommand it is set with the end's other values, before their signals (C14); in
        Parallel mode a run that starts clears it even while another run is still going. Read it on
        the command's thread.
    */
    [[nodiscard]] QString lastError() const;
    /*!
        \brief The bindable of \c lastError, for C++ property bindings on the command's thread (C18).
        Only read it: the command sets the value itself.
    */
    [[nodiscard]] QBindable<QString> bindableLastError();

    /*!
        \brief The debounce window in ms (C22); 0, the default, turns it off.

        While it is above 0, \c execute() does not run at once: it waits until \c debounce ms have
        passed without another call, then runs once, with the parameter of the last call. Every call
        restarts the wait, so a burst of calls (keystrokes) makes one run. The checks of \c execute()
        (\c canExecuteWith(), the concurrency mode) are made when the run starts, not at the call; a
        parameter of the wrong type is reported at the call (C4) and does not take part. A call that
        waits is dropped by the next call, by \c AsyncRelayCommand::cancel() and when the command is
        destroyed; an \c AsyncRelayCommand::executeAsync() operation of a dropped or refused call ends
        Canceled without running. With \c throttle also set, debounce applies and throttle is ignored.
        The wait is a timer of CommandKit's clock (A23) on the command's thread. Read it on the
        command's thread.
    */
    [[nodiscard]] int debounce() const { return m_debounce.value(); }
    /*!
        \brief Sets \c debounce to \a milliseconds (ms; 0 turns it off) (C22). A negative value is
        stored as 0, with a warning in the category \c commandkit; a negative value set through the
        bindable counts as 0. Applies to calls made from now on: a call already waiting keeps its time.
        Call it on the command's thread; emits \c debounceChanged when the stored value changes.
    */
    void setDebounce(int milliseconds);
    /*! \brief The bindable of \c debounce (ms), for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<int> bindableDebounce() { return &m_debounce; }

    /*!
        \brief The throttle window in ms (C23); 0, the default, turns it off.

        While it is above 0, a call of \c execute() that starts a run opens a window of \c throttle
        ms, and the calls made inside it are ignored, as a disabled action ignores a trigger (leading
        edge: the first call runs at once, nothing runs at the window's end). An ignored call's
        \c AsyncRelayCommand::executeAsync() operation has already ended Canceled. A call refused by
        \c canExecuteWith() opens no window. \c canExecute does not change with the window. Ignored
        while \c debounce is above 0. The window is a timer of CommandKit's clock (A23) on the
        command's thread. Read it on the command's thread.
    */
    [[nodiscard]] int throttle() const { return m_throttle.value(); }
    /*!
        \brief Sets \c throttle to \a milliseconds (ms; 0 turns it off) (C23). A negative value is
        stored as 0, with a warning in the category \c commandkit; a negative value set through the
        bindable counts as 0. A window already open keeps its end. Call it on the command's thread;
        emits \c throttleChanged when the stored value changes.
    */
    void setThrottle(int milliseconds);
    /*! \brief The bindable of \c throttle (ms), for C++ property bindings on the command's thread. */
    [[nodiscard]] QBindable<int> bindableThrottle() { return &m_throttle; }

    /*!
        \brief Sets the command's own error handler to \a handler (C9); an empty function removes it.

        It runs first on every error, on the command's thread, before \c errorOccurred; while it is set
        errors count as handled and never reach the process-wide handler. An exception it throws goes
        to the process-wide handler. Call it on the command's thread.
    */
    void setErrorHandler(ErrorHandler handler);

    /*!
        \brief The name of the parameter type the delegate takes (the \c QMetaType name, e.g. "QString");
        empty when it takes none or takes a QVariant, both of which accept any parameter (C4). Any thread.
    */
    [[nodiscard]] QString parameterTypeName() const;

    /*!
        \brief Installs the process-wide reporter of wrong parameter types (C4) and returns the previous
        one. Called by the \c CommandKit QML module; C++ code rarely needs it.

        The reporter runs on the thread that called \c execute(), after the error chain of C9; an empty
        function removes it. Thread-safe.
    */
    static WrongParameterReporter setWrongParameterReporter(WrongParameterReporter reporter);

Q_SIGNALS:
    /*!
        \brief Re-query \c canExecute / \c canExecuteWith() (see the class description); emitted on the
        command's thread, once per change of \c canExecute, on \c notifyCanExecuteChanged(), and in Reject
        mode when a run starts or ends (C3, C14).
    */
    void canExecuteChanged();
    /*!
        \brief A run or a predicate failed with \a message, the exception's \c what() (C9). Emitted on
        the command's thread, after the error handler and after the end's property signals (C14).

        Connecting a receiver marks errors as handled, so the process-wide handler stays quiet.
        Cancellation never emits it.
    */
    void errorOccurred(const QString &message);
    /*!
        \brief \c lastError changed (C18): cleared at a run's start, set at a failed run's end. Emitted
        on the command's thread; for an \c AsyncRelayCommand with the start's or the end's signals,
        just before \c canExecuteChanged, and before \c errorOccurred.
    */
    void lastErrorChanged();
    /*! \brief \c debounce changed through \c setDebounce() or its bindable; on the command's thread. */
    void debounceChanged();
    /*! \brief \c throttle changed through \c setThrottle() or its bindable; on the command's thread. */
    void throttleChanged();

protected:
    /*!
        \brief Creates a command with the QObject \a parent; a derived class calls \c initialize() in its
        own constructor before the command is used.
    */
    explicit Command(QObject *parent = nullptr);

    /*!
        \brief Declares the parameter type (from the delegate) and the predicate; then binds canExecute.

        Not in the constructor, because the binding calls the virtual \c isBlocked() of the derived
        class. An empty \a predicate means "always".
    */
    void initialize(detail::ParameterType parameterType, std::function<bool(const QVariant &)> predicate);

    /*!
        \brief Whether the command refuses to run for reasons other than its predicate (read bindables
        here, so \c canExecute follows them). The default answers false.
    */
    [[nodiscard]] virtual bool isBlocked() const;

    /*! \brief Runs the delegate; called by \c execute() after every check passed. */
    virtual void run(const QVariant &parameter) = 0;

    /*!
        \brief The checks of \c execute(): a wrong type is reported (C4); then \c canExecuteWith().
        Returns whether the delegate may run.
    */
    bool admit(const QVariant &parameter);

    /*! \brief Routes \a error as C9 says: error handler, \c errorOccurred, process-wide handler. */
    void handleError(const std::exception_ptr &error);

    /*!
        \brief Holds back \c canExecuteChanged until \c releaseCanExecuteChanged(), so that a state
        update emits it once, after the update's other signals (C14). Not nested.
    */
    void deferCanExecuteChanged();
    /*! \brief Ends \c deferCanExecuteChanged(); emits \c canExecuteChanged once if one was held back. */
    void releaseCanExecuteChanged();
    /*!
        \brief Asks listeners to re-query: emits \c canExecuteChanged now, or once at
        \c releaseCanExecuteChanged() while it is held back.
    */
    void requeryCanExecute();

    /*!
        \brief Sets \c lastError to \a message (C18). Inside a held-back state update (see
        \c deferCanExecuteChanged()) \c lastErrorChanged waits for \c releaseCanExecuteChanged() and is
        emitted there only if the value differs from the one before the update.
    */
    void setLastError(const QString &message);

    /*!
        \brief Whether \c debounce or \c throttle is on (C22, C23): \c execute() and
        \c executeAsync() then go through \c pace().
    */
    [[nodiscard]] bool isPaced() const
    {
        // Bypassing: no binding dependency from execute(), and no thread-local lookup on its fast path (P1).
        return m_debounce.valueBypassingBindings() > 0 || m_throttle.valueBypassingBindings() > 0;
    }
    /*! \brief Runs a paced call whose time has come; returns whether a run started. May throw. */
    using PacedStart = std::function<bool(const QVariant &parameter)>;
    /*! \brief Ends a paced call that never runs. Must not throw, nor touch the command. */
    using PacedDrop = std::function<void()>;
    /*!
        \brief Debounce and throttle for one call with \a parameter (C22, C23). Returns true when they
        took the call: it waits for the end of the debounce window (then \a start runs it, or, when
        empty, the checks of \c execute() and \c run()), or the throttle window ignored it, or its
        parameter has the wrong type (reported, C4); a call that never runs gets \a drop. Returns
        false when the call is to run now as usual; the caller then calls \c paceStarted() once a run
        has started. Never throws: a failure is reported (C9) and the call dropped.
    */
    bool pace(const QVariant &parameter, PacedStart start, PacedDrop drop) noexcept;
    /*! \brief A run started outside the debounce window: opens the throttle window (C23). Never throws. */
    void paceStarted() noexcept;
    /*! Inside a catch block: drops a paced call's operation (\a drop) and passes the error to C9. */
    void dropAfterError(const PacedDrop &drop) noexcept;
    /*! Runs an admitted call: inside its group's bracket (C25), opening its throttle window (C23). */
    void runAdmitted(const QVariant &parameter);
    /*! \brief Drops the debounced call that waits, if any (C22). Never throws. */
    void dropPaced() noexcept;

    /*! \brief "ClassName 'objectName'", for messages. */
    [[nodiscard]] QString describe() const;

private:
    // The group hook (C25): a group blocks its other members while one runs, and sees a member's
    // execute() as running, for synchronous members that have no isRunning of their own.
    friend class CommandGroup;
    /*! The group this command belongs to (C25), at most one, or null. */
    [[nodiscard]] CommandGroup *group() const;
    void setGroup(CommandGroup *group);
    bool evaluate(const QVariant &parameter);
    // The notifier of m_canExecute: a change of the binding's value is a re-query like any other.
    void canExecuteValueChanged() { requeryCanExecute(); }
    void emitCanExecuteChanged();
    /*! The wrong-type half of admit(): reports a parameter that does not convert (C4). */
    bool checkType(const QVariant &parameter);
    /*! The debounced call's window has ended: its checks, then its run (C22). */
    void runDebounced() noexcept;

    detail::ParameterType m_parameterType;
    std::function<bool(const QVariant &)> m_predicate;
    // Behind a pointer: most commands have none, and a std::function is 32 bytes (P6).
    std::unique_ptr<ErrorHandler> m_errorHandler;
    // Bumped by notifyCanExecuteChanged(): the binding reads it, so bumping re-evaluates the predicate.
    QProperty<quint64> m_requery;
    // Bumped with every canExecuteChanged (canExecuteRevision); unsigned, so it wraps without UB.
    quint32 m_canExecuteRevision = 0;
    // Next to the 4-byte field above: the property takes no room of its own (P6).
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(Command, int, m_debounce, 0, &Command::debounceChanged)
    // lastError (C18) and the group (C25), made on first use: most commands never fail, nobody reads
    // their lastError and they belong to no group, and a command stays as small as a QAction (P6).
    struct LastError;
    LastError &lastErrorData() const;
    mutable std::unique_ptr<LastError> m_lastError;
    // The state of debounce and throttle (C22, C23), made on first use: most commands are not paced (P6).
    struct Pacing;
    Pacing &pacing();
    std::unique_ptr<Pacing> m_pacing;
    bool m_canExecuteChangedDeferred = false;
    bool m_canExecuteChangedHeld = false;
    Q_OBJECT_BINDABLE_PROPERTY(Command, bool, m_canExecute, &Command::canExecuteValueChanged)
    // In the padding after the flags (P6).
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(Command, int, m_throttle, 0, &Command::throttleChanged)
};

} // namespace CommandKit
