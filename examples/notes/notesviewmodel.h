// SPDX-License-Identifier: MIT
// The notes viewmodel of issue #13, written the shortest natural way CommandKit allows: load the *.md
// files of a folder on a pool thread with progress and cancel, clear (enabled only when there are
// notes), save to a path with an error label (save.lastError).
#pragma once

#include <commandkit/commandkit.h>

class NotesViewModel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QStringList notes READ notes NOTIFY notesChanged)
    Q_PROPERTY(CommandKit::AsyncRelayCommand *load MEMBER load CONSTANT)
    Q_PROPERTY(CommandKit::RelayCommand *clear MEMBER clear CONSTANT)
    Q_PROPERTY(CommandKit::RelayCommand *save MEMBER save CONSTANT)

public:
    explicit NotesViewModel(QObject *parent = nullptr);
    QStringList notes() const { return m_notes; }

Q_SIGNALS:
    void notesChanged();

private:
    CommandKit::AsyncOperation<QStringList, int> loadNotes(QString folder);
    bool hasNotes() const { return !m_notes.value().isEmpty(); } // bindable: clear follows it (C3)
    void clearNotes() { m_notes = QStringList(); }
    void saveNotes(const QString &path);
    Q_OBJECT_BINDABLE_PROPERTY(NotesViewModel, QStringList, m_notes, &NotesViewModel::notesChanged)

public:
    CommandKit::AsyncRelayCommand *const load =
        new CommandKit::AsyncRelayCommand(this, &NotesViewModel::loadNotes);
    CommandKit::RelayCommand *const clear =
        new CommandKit::RelayCommand(this, &NotesViewModel::clearNotes, &NotesViewModel::hasNotes);
    CommandKit::RelayCommand *const save = new CommandKit::RelayCommand(this, &NotesViewModel::saveNotes);
};
