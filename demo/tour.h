// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <commandkit/asyncoperation.h>

class FileHashViewModel;
class PrimesViewModel;
class SearchViewModel;
class QQmlApplicationEngine;
class QUrl;

/*!
    \brief The scripted tour (design.md D3): drives the viewmodels without a window. Checks
    \a numbers at once (the Primes panel's Parallel mode), then hashes \a files one after another, and
    prints progress and one line per result to stdout: \c sha256sum's format for a digest,
    "N is prime" or "N is not prime (smallest divisor d)" for a number. Then, when \a text is not
    empty, searches \a search's folder for it as the Search panel does (by setting its \c text) and
    prints each matching path on its own line, sorted, and "search "<text>" in <folder>: <n> matches".
    Errors go to stderr. The result is whether every run completed.
    \note Runs on the GUI thread; the viewmodels must outlive the operation.
*/
CommandKit::AsyncOperation<bool> runTour(PrimesViewModel *primes, FileHashViewModel *fileHash,
                                         SearchViewModel *search, QStringList numbers, QStringList files,
                                         QString text);

/*!
    \brief Loads \a mainQml into \a engine, renders the window offscreen and saves it to \a file (D3).
    Returns whether the image was saved.
*/
bool saveScreenshot(QQmlApplicationEngine &engine, const QUrl &mainQml, const QString &file);
