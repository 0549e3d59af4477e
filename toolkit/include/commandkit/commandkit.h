// SPDX-License-Identifier: MIT
// Umbrella header: everything of CommandKit's public C++ API.
#pragma once

#include "commandkit/asyncoperation.h"
#include "commandkit/asyncrelaycommand.h"
#include "commandkit/asyncstatus.h"
#include "commandkit/cancellation.h"
#include "commandkit/command.h"
#include "commandkit/commandgroup.h"
#include "commandkit/compositecommand.h"
#include "commandkit/composition.h"
#include "commandkit/errors.h"
#include "commandkit/executiontask.h"
#include "commandkit/interop.h"
#include "commandkit/progress.h"
#include "commandkit/relaycommand.h"
#include "commandkit/scheduling.h"
#include "commandkit/version.h"
