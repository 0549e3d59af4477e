// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

#include <stop_token>

#include <commandkit/asyncoperation.h>
#include <commandkit/asyncrelaycommand.h>
#include <commandkit/relaycommand.h>

#include "primechecksmodel.h"
#include "primeresult.h"

/*!
    \brief The viewmodel of the Primes panel (design.md D1): is N prime, by trial division on the
    thread pool, with progress and cancel; several checks at once, each listed with its own row.

    \c check is an \c AsyncRelayCommand in \c ConcurrencyMode::Parallel whose parameter is the number
    as text (what a text field holds; a number converts too). Every run adds a row to \c checks.
    It can execute only with a whole number from 2 to 2^63 - 1; \c inputError() says what is wrong
    with other text, for the view to show beside the disabled button.

    \code
    PrimesViewModel primes;
    primes.check()->execute(QStringLiteral("2147483647"));   // a row appears in primes.checks()
    \endcode
    \note Lives on the GUI thread; the work runs on CommandKit's pool (\c CommandKit::threadPool()).
*/
class PrimesViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(CommandKit::AsyncRelayCommand *check READ check CONSTANT FINAL)
    Q_PROPERTY(CommandKit::RelayCommand *removeFinished READ removeFinished CONSTANT FINAL)
    Q_PROPERTY(PrimeChecksModel *checks READ checks CONSTANT FINAL)

public:
    /*! \brief A viewmodel with an empty list of checks. */
    explicit PrimesViewModel(QObject *parent = nullptr);
    ~PrimesViewModel() override;

    /*! \brief Starts a check of its parameter, the number as text; runs in parallel with others. */
    [[nodiscard]] CommandKit::AsyncRelayCommand *check() const { return m_check; }
    /*! \brief Removes the ended rows from \c checks; enabled while there is one. */
    [[nodiscard]] CommandKit::RelayCommand *removeFinished() const { return m_removeFinished; }
    /*! \brief One row per run of \c check. */
    [[nodiscard]] PrimeChecksModel *checks() const { return m_checks; }

    /*!
        \brief Why \a number (text) cannot be checked, or an empty string when it can: "enter a whole
        number from 2 to …" for empty text, "\"abc\" is not a whole number from 2 to …" otherwise.
        \c check can execute exactly when this is empty.
    */
    Q_INVOKABLE static QString inputError(const QString &number);

    /*!
        \brief Checks whether \a number (text) is prime by trial division up to its square root, on
        a thread of CommandKit's pool. Reports progress as a fraction 0..1 and stops at the
        next report after \a stop is requested.
        \warning The operation ends Error with \c std::invalid_argument when \a number is not a
        whole number from 2 to 2^63 - 1.
    */
    static CommandKit::AsyncOperation<PrimeResult, double> isPrime(QString number, std::stop_token stop);

private:
    PrimeChecksModel *m_checks;
    CommandKit::AsyncRelayCommand *m_check;
    CommandKit::RelayCommand *m_removeFinished;
};
