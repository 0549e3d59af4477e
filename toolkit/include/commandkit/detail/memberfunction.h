// SPDX-License-Identifier: MIT
// Not API: CommandKit internals, may change without notice.
// The old name of membersignature.h and boundmember.h, kept for the files that include it.
#pragma once

#include "commandkit/detail/boundmember.h"
#include "commandkit/detail/membersignature.h"
