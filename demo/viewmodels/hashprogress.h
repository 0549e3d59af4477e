// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>

/*!
    \brief Progress of a file hash in bytes: how many were hashed of how many the file holds.
    A value type, readable from QML (for example \c executionTask.progress.fraction).
*/
class HashProgress
{
    Q_GADGET
    Q_PROPERTY(qint64 bytesDone MEMBER bytesDone FINAL)
    Q_PROPERTY(qint64 bytesTotal MEMBER bytesTotal FINAL)
    Q_PROPERTY(double fraction READ fraction FINAL)
    Q_PROPERTY(bool sizeKnown READ sizeKnown FINAL)

public:
    /*! \brief Bytes hashed so far. */
    qint64 bytesDone = 0;
    /*!
        \brief The size of the file when hashing started; -1 when it is unknown: a device or a pipe
        (/dev/zero), or a file that reports a size of 0 (/proc/cpuinfo).
    */
    qint64 bytesTotal = -1;

    /*! \brief Whether \c bytesTotal is known, so that \c fraction means something. */
    [[nodiscard]] bool sizeKnown() const { return bytesTotal >= 0; }
    /*! \brief \c bytesDone / \c bytesTotal in 0..1 (1 for an empty file); 0 while the size is unknown. */
    [[nodiscard]] double fraction() const
    {
        if (bytesTotal < 0)
            return 0.0;
        return bytesTotal > 0 ? qMin(1.0, double(bytesDone) / double(bytesTotal)) : 1.0;
    }

    /*! \brief Member-wise comparison. */
    friend bool operator==(const HashProgress &, const HashProgress &) = default;
};
