package dev.keyfailover.chain;

/**
 * The JSON tokens {@link TopLevelScan} steps over in a byte buffer, forward or backward: strings
 * (with their escapes), objects and arrays (with the strings inside them), other values, white
 * space. Each method reads only within the bounds it is given and answers -1 when the token does
 * not end within them (the space skippers: an index outside them); none decodes anything.
 */
final class JsonBytes {

    private JsonBytes() {
    }

    /** The index of the quote closing the string that opens at {@code i}, or -1. */
    static int stringEnd(byte[] b, int i, int to) {
        for (int j = i + 1; j < to; j++) {
            if (b[j] == '\\') {
                j++;
            } else if (b[j] == '"') {
                return j;
            }
        }
        return -1;
    }

    /** The index of the quote opening the string that closes at {@code i}, or -1. */
    static int stringStartBack(byte[] b, int i, int from) {
        for (int j = i - 1; j >= from; j--) {
            if (b[j] == '"') {
                int backslashes = 0;
                for (int k = j - 1; k >= from && b[k] == '\\'; k--) {
                    backslashes++;
                }
                if (backslashes % 2 == 0) {
                    return j;
                }
            }
        }
        return -1;
    }

    /** The index of the bracket opening the object or array that closes at {@code i}, or -1. */
    static int openingBack(byte[] b, int i, int from) {
        int depth = 0;
        for (int j = i; j >= from; j--) {
            byte c = b[j];
            if (c == '"') {
                j = stringStartBack(b, j, from);
                if (j < 0) {
                    return -1;
                }
            } else if (c == '}' || c == ']') {
                depth++;
            } else if ((c == '{' || c == '[') && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    /** The index just after the value starting at {@code i}, or -1 when it does not end before {@code to}. */
    static int skipValue(byte[] b, int i, int to) {
        byte c = b[i];
        if (c == '"') {
            int end = stringEnd(b, i, to);
            return end < 0 ? -1 : end + 1;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; j < to; j++) {
                byte d = b[j];
                if (d == '"') {
                    j = stringEnd(b, j, to);
                    if (j < 0) {
                        return -1;
                    }
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if ((d == '}' || d == ']') && --depth == 0) {
                    return j + 1;
                }
            }
            return -1;
        }
        int j = i;
        while (j < to && b[j] != ',' && b[j] != '}' && !isSpace(b[j])) {
            j++;
        }
        return j < to ? j : -1;
    }

    /** Whether the bytes from {@code start} to {@code end} are {@code name}. */
    static boolean matches(byte[] b, int start, int end, byte[] name) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    static int skipSpace(byte[] b, int i, int to) {
        while (i < to && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    static int skipSpaceBack(byte[] b, int i, int from) {
        while (i >= from && isSpace(b[i])) {
            i--;
        }
        return i;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
