package org.geoward.evaluate;

import java.util.Arrays;

/** Maps a cell key (a long) to a dense cell number with open addressing; not thread-safe while being filled. */
final class CellTable {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    CellTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, -1);
        mask = cap - 1;
    }

    static long key(int ix, int iy) {
        return ((long) ix << 32) | (iy & 0xffffffffL);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Returns the cell number of the key, or -1. */
    int get(long key) {
        int i = hash(key) & mask;
        while (true) {
            int v = values[i];
            if (v < 0 || keys[i] == key) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Returns the cell number of the key, numbering it next if it is new. */
    int intern(long key) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int i = hash(key) & mask;
        while (values[i] >= 0) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = size;
        return size++;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, -1);
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                int j = hash(oldKeys[i]) & mask;
                while (values[j] >= 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
