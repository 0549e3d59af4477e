// SPDX-License-Identifier: MIT
// The data rows of a test that runs in every concurrency mode (C8).
#pragma once

#include <QtTest/QTest>

#include <commandkit/asyncrelaycommand.h>

/*! Adds the column "mode" and one row per ConcurrencyMode: Reject, Parallel, Restart, Queue. */
inline void addModeRows()
{
    QTest::addColumn<CommandKit::ConcurrencyMode>("mode");
    QTest::newRow("Reject") << CommandKit::ConcurrencyMode::Reject;
    QTest::newRow("Parallel") << CommandKit::ConcurrencyMode::Parallel;
    QTest::newRow("Restart") << CommandKit::ConcurrencyMode::Restart;
    QTest::newRow("Queue") << CommandKit::ConcurrencyMode::Queue;
}
