package dev.keyfailover.hardening;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Set;

/**
 * Every object of ours reachable from a root: fields of {@code dev.keyfailover} classes are
 * followed by reflection, collections, maps and arrays through their public API; library objects
 * are not entered (their internals are not ours to read).
 */
final class ObjectGraph {

    static final int LIMIT = 20_000;

    private ObjectGraph() {
    }

    static Set<Object> ours(Object... roots) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> ours = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> next = new LinkedList<>(); // takes nulls, unlike ArrayDeque
        for (Object root : roots) {
            next.add(root);
        }
        while (!next.isEmpty() && seen.size() < LIMIT) {
            Object object = next.poll();
            if (object == null || !seen.add(object)) {
                continue;
            }
            Class<?> type = object.getClass();
            if (type.getName().startsWith("dev.keyfailover")) {
                ours.add(object);
                for (Class<?> c = type; c != null && c.getName().startsWith("dev.keyfailover"); c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                            continue;
                        }
                        field.setAccessible(true);
                        next.add(field.get(object));
                    }
                }
            } else if (object instanceof Iterable<?> iterable) {
                iterable.forEach(next::add);
            } else if (object instanceof Map<?, ?> map) {
                next.addAll(map.keySet());
                next.addAll(map.values());
            } else if (type.isArray() && !type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(object); i++) {
                    next.add(Array.get(object, i));
                }
            } else if (object instanceof java.util.Optional<?> optional) {
                optional.ifPresent(next::add);
            } else if (object instanceof java.util.concurrent.atomic.AtomicReference<?> reference) {
                next.add(reference.get());
            }
        }
        return ours;
    }
}
