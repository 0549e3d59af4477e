// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

/*!
    \brief The answer of one primality check: whether \c number is prime and its smallest divisor
    greater than 1 (the number itself when it is prime). A value type, readable from QML.
*/
class PrimeResult
{
    Q_GADGET
    Q_PROPERTY(qint64 number MEMBER number FINAL)
    Q_PROPERTY(bool isPrime MEMBER isPrime FINAL)
    Q_PROPERTY(qint64 smallestDivisor MEMBER smallestDivisor FINAL)
    Q_PROPERTY(QString text READ text FINAL)

public:
    /*! \brief The number that was checked. */
    qint64 number = 0;
    /*! \brief Whether \c number is prime. */
    bool isPrime = false;
    /*! \brief The smallest divisor of \c number greater than 1; \c number itself when it is prime. */
    qint64 smallestDivisor = 0;

    /*! \brief "97 is prime" or "91 is not prime (smallest divisor 7)". */
    [[nodiscard]] QString text() const { return QStringLiteral("%1 %2").arg(number).arg(verdict()); }
    /*! \brief \c text() without the number: "is prime" or "is not prime (smallest divisor 7)". */
    [[nodiscard]] QString verdict() const
    {
        if (isPrime)
            return QStringLiteral("is prime");
        return QStringLiteral("is not prime (smallest divisor %1)").arg(smallestDivisor);
    }

    /*! \brief Member-wise comparison (lets QVariant tell a changed result from an equal one). */
    friend bool operator==(const PrimeResult &, const PrimeResult &) = default;
};
