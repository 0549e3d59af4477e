// SPDX-License-Identifier: MIT
#include "testviewmodel.h"

#include <commandkit/scheduling.h>

using namespace std::chrono_literals;

TestViewModel::TestViewModel(QObject *parent)
    : QObject(parent)
    , m_relay(new CommandKit::RelayCommand(
          [this] {
              ++m_relayCount;
              Q_EMIT relayCountChanged();
          },
          [this] { return m_relayAllowed.value(); }, this))
    , m_work(new CommandKit::AsyncRelayCommand(
          [this]() -> CommandKit::AsyncAction {
              co_await CommandKit::resumeAfter(std::chrono::milliseconds(m_workMs));
          },
          this))
    , m_typed(new CommandKit::RelayCommand(
          [this](int value) {
              m_lastTyped = value;
              Q_EMIT lastTypedChanged();
          },
          [](int value) { return value > 0; }, this))
{}
