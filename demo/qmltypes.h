// SPDX-License-Identifier: MIT
#pragma once

#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

#include "filehashviewmodel.h"
#include "hashprogress.h"
#include "primechecksmodel.h"
#include "primeresult.h"
#include "primesviewmodel.h"
#include "searchviewmodel.h"

// The viewmodels stay free of QtQml: the demo's QML module registers them here, uncreatable,
// because main.cpp creates them and hands them to Main.qml as required properties.

struct PrimesViewModelForeign
{
    Q_GADGET
    QML_FOREIGN(PrimesViewModel)
    QML_NAMED_ELEMENT(PrimesViewModel)
    QML_UNCREATABLE("created by the application")
};

struct PrimeChecksModelForeign
{
    Q_GADGET
    QML_FOREIGN(PrimeChecksModel)
    QML_NAMED_ELEMENT(PrimeChecksModel)
    QML_UNCREATABLE("owned by PrimesViewModel")
};

struct FileHashViewModelForeign
{
    Q_GADGET
    QML_FOREIGN(FileHashViewModel)
    QML_NAMED_ELEMENT(FileHashViewModel)
    QML_UNCREATABLE("created by the application")
};

struct SearchViewModelForeign
{
    Q_GADGET
    QML_FOREIGN(SearchViewModel)
    QML_NAMED_ELEMENT(SearchViewModel)
    QML_UNCREATABLE("created by the application")
};

struct PrimeResultForeign
{
    Q_GADGET
    QML_FOREIGN(PrimeResult)
    QML_VALUE_TYPE(primeResult)
};

struct HashProgressForeign
{
    Q_GADGET
    QML_FOREIGN(HashProgress)
    QML_VALUE_TYPE(hashProgress)
};
