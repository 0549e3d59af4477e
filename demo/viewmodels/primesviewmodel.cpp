// SPDX-License-Identifier: MIT
#include "primesviewmodel.h"

#include <commandkit/asyncrelaycommand.h>
#include <commandkit/errors.h>
#include <commandkit/progress.h>
#include <commandkit/relaycommand.h>
#include <commandkit/scheduling.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace {

qint64 parseNumber(const QString &text)
{
    const QString error = PrimesViewModel::inputError(text);
    if (!error.isEmpty())
        throw std::invalid_argument(error.toStdString());
    return text.trimmed().toLongLong();
}

// The largest r with r * r <= n, without overflowing near 2^63.
qint64 squareRoot(qint64 n)
{
    auto r = qint64(std::sqrt(double(n)));
    while (r > n / r)
        --r;
    while (r + 1 <= n / (r + 1))
        ++r;
    return r;
}

} // namespace

PrimesViewModel::PrimesViewModel(QObject *parent)
    : QObject(parent)
    , m_checks(new PrimeChecksModel(this))
{
    // The row is added on this thread before the body starts: executionTask is this run's task (C7).
    m_check = new CommandKit::AsyncRelayCommand(
        [this](const QString &number, std::stop_token stop) {
            m_checks->track(m_check->executionTask(), number);
            return isPrime(number, std::move(stop));
        },
        [](const QString &number) { return inputError(number).isEmpty(); }, this);
    m_check->setObjectName(QStringLiteral("check"));
    m_check->setConcurrency(CommandKit::ConcurrencyMode::Parallel);
    // Each row shows its own error; nothing is left for the process-wide handler (C9).
    m_check->setErrorHandler([](std::exception_ptr) {});

    // finishedCount is bindable, so canExecute follows it by itself (C3).
    m_removeFinished = new CommandKit::RelayCommand([this] { m_checks->removeFinished(); },
                                                    [this] { return m_checks->finishedCount() > 0; }, this);
    m_removeFinished->setObjectName(QStringLiteral("removeFinished"));
}

PrimesViewModel::~PrimesViewModel() = default;

QString PrimesViewModel::inputError(const QString &number)
{
    if (number.trimmed().isEmpty())
        return tr("enter a whole number from 2 to %1").arg(std::numeric_limits<qint64>::max());
    bool ok = false;
    const qint64 n = number.trimmed().toLongLong(&ok);
    if (!ok || n < 2) {
        return tr("\"%1\" is not a whole number from 2 to %2")
            .arg(number)
            .arg(std::numeric_limits<qint64>::max());
    }
    return {};
}

CommandKit::AsyncOperation<PrimeResult, double> PrimesViewModel::isPrime(QString number, std::stop_token stop)
{
    const auto progress = co_await CommandKit::getProgressToken();
    const qint64 n = parseNumber(number);
    co_await CommandKit::resumeBackground();

    progress(0.0);
    PrimeResult result{n, true, n};
    if (n % 2 == 0) {
        result = {n, n == 2, 2};
    } else {
        const qint64 limit = squareRoot(n);
        // Checking the token and reporting every 2^16 divisors costs nothing next to the divisions.
        constexpr quint32 reportMask = (1u << 16) - 1;
        quint32 step = 0;
        for (qint64 d = 3; d <= limit; d += 2) {
            if (n % d == 0) {
                result = {n, false, d};
                break;
            }
            if ((++step & reportMask) == 0) {
                if (stop.stop_requested())
                    throw CommandKit::OperationCanceled(
                        QStringLiteral("the check of %1 was canceled").arg(n).toStdString());
                progress(double(d) / double(limit));
            }
        }
    }
    progress(1.0);
    co_return result;
}
