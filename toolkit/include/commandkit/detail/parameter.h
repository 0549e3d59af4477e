// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// The old name of isoptional.h and parametertype.h, kept for the files that include it.
#pragma once

#include "commandkit/detail/isoptional.h"
#include "commandkit/detail/parametertype.h"
