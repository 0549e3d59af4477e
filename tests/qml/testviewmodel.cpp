// SPDX-License-Identifier: MIT
#include "testviewmodel.h"

#include <commandkit/scheduling.h>

#include <stdexcept>

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
    , m_sync(new CommandKit::RelayCommand([this] { ran(); }, this))
    , m_syncText(new CommandKit::RelayCommand([this](QString) { ran(); },
                                              [this](QString text) { return allows(text); }, this))
    , m_async(new CommandKit::AsyncRelayCommand([this] { return startRun(); }, this))
    , m_asyncText(new CommandKit::AsyncRelayCommand([this](QString) { return startRun(); },
                                                    [this](QString text) { return allows(text); }, this))
    , m_search(new CommandKit::AsyncRelayCommand([this](QString) { return startRun(); }, this))
    , m_partA(new CommandKit::AsyncRelayCommand([this] { return startRun(); }, this))
    , m_partB(new CommandKit::AsyncRelayCommand([this] { return startRun(); }, this))
    , m_all(new CommandKit::CompositeCommand(this))
    , m_groupAsync(new CommandKit::AsyncRelayCommand([this] { return startRun(); }, this))
    , m_groupSync(new CommandKit::RelayCommand([this] { ran(); }, this))
    , m_group(new CommandKit::CommandGroup(this))
{
    m_partA->setObjectName(QStringLiteral("partA"));
    m_partB->setObjectName(QStringLiteral("partB"));
    m_all->registerCommand(m_partA);
    m_all->registerCommand(m_partB);
    m_group->registerCommand(m_groupAsync);
    m_group->registerCommand(m_groupSync);
    for (CommandKit::Command *command :
         {static_cast<CommandKit::Command *>(m_sync), static_cast<CommandKit::Command *>(m_syncText),
          static_cast<CommandKit::Command *>(m_async), static_cast<CommandKit::Command *>(m_asyncText),
          static_cast<CommandKit::Command *>(m_partA), static_cast<CommandKit::Command *>(m_partB),
          static_cast<CommandKit::Command *>(m_all)}) {
        command->setErrorHandler([this](std::exception_ptr) {
            ++m_errors;
            Q_EMIT errorsChanged();
        });
    }
}

void TestViewModel::ran()
{
    ++m_runs;
    Q_EMIT runsChanged();
    if (m_failSync)
        throw std::runtime_error("sync run failed");
}

QFuture<void> TestViewModel::startRun()
{
    ++m_runs;
    Q_EMIT runsChanged();
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    m_promises << promise;
    return promise->future();
}

void TestViewModel::finishRuns()
{
    for (const auto &promise : std::exchange(m_promises, {}))
        promise->finish();
}

void TestViewModel::failRuns()
{
    for (const auto &promise : std::exchange(m_promises, {})) {
        promise->setException(std::make_exception_ptr(std::runtime_error("async run failed")));
        promise->finish();
    }
}
