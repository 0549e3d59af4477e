// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// The old name of callabletraits.h and nopredicate.h, kept for the files that include it.
#pragma once

#include "commandkit/detail/callabletraits.h"
#include "commandkit/detail/nopredicate.h"
