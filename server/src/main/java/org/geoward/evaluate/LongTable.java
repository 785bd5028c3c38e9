package org.geoward.evaluate;

/**
 * Maps long keys to long values with open addressing. Each key sits beside its value, so a lookup usually touches
 * one cache line. While building, {@link #intern} numbers the keys densely; {@link #replaceValues} may then swap
 * those numbers for other values. Not thread-safe while being filled.
 */
final class LongTable {
    private static final long EMPTY = -1;

    /** Key of slot i at 2i, its value (or {@link #EMPTY}) at 2i+1. */
    private long[] slots;

    private int size;
    private int mask;

    LongTable(int expected) {
        allocate(capacityFor(expected));
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Returns a power of two with room for the keys at a load of at most 0.6. */
    private static int capacityFor(int keys) {
        return Integer.highestOneBit(Math.max(16, keys * 5 / 3)) << 1;
    }

    private void allocate(int capacity) {
        slots = new long[2 * capacity];
        for (int i = 1; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = capacity - 1;
    }

    /** Returns the value of the key, or -1. */
    long get(long key) {
        int i = hash(key) & mask;
        while (true) {
            long v = slots[2 * i + 1];
            if (v == EMPTY || slots[2 * i] == key) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Returns the number of the key, numbering it next if it is new. */
    int intern(long key) {
        if (size * 5 >= (mask + 1) * 3) {
            grow();
        }
        int i = hash(key) & mask;
        while (slots[2 * i + 1] != EMPTY) {
            if (slots[2 * i] == key) {
                return (int) slots[2 * i + 1];
            }
            i = (i + 1) & mask;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = size;
        return size++;
    }

    /** Replaces each number n given by {@link #intern} with {@code values[n]}; values must not be -1. */
    void replaceValues(long[] values) {
        for (int i = 1; i < slots.length; i += 2) {
            if (slots[i] != EMPTY) {
                slots[i] = values[(int) slots[i]];
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        for (int i = 0; i < old.length; i += 2) {
            if (old[i + 1] != EMPTY) {
                int j = hash(old[i]) & mask;
                while (slots[2 * j + 1] != EMPTY) {
                    j = (j + 1) & mask;
                }
                slots[2 * j] = old[i];
                slots[2 * j + 1] = old[i + 1];
            }
        }
    }
}
