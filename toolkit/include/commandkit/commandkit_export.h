// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

/*! \internal Symbol visibility of the CommandKit shared library. */
#if defined(COMMANDKIT_BUILDING_LIBRARY)
#define COMMANDKIT_EXPORT Q_DECL_EXPORT
#else
#define COMMANDKIT_EXPORT Q_DECL_IMPORT
#endif
