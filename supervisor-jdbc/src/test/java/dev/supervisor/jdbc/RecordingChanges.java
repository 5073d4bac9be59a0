package dev.supervisor.jdbc;

import dev.supervisor.ChangeListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records change signals in arrival order: a key for rowChanged, "*" for tableChanged. */
final class RecordingChanges implements ChangeListener<String> {

    static final String TABLE = "*";

    final List<String> signals = new CopyOnWriteArrayList<>();

    @Override
    public void rowChanged(String key) {
        signals.add(key);
    }

    @Override
    public void tableChanged() {
        signals.add(TABLE);
    }

    List<String> drain() {
        List<String> copy = List.copyOf(signals);
        signals.clear();
        return copy;
    }
}
