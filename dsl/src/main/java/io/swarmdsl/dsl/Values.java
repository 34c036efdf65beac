package io.swarmdsl.dsl;

import io.swarmdsl.model.Excerpt;
import io.swarmdsl.model.Secret;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns what a script wrote into what a builder method takes, or says it cannot. */
final class Values {
    private Values() {
    }

    static Optional<Object> convert(Object value, Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == int.class || raw == Integer.class) {
            return wholeNumber(value);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return value instanceof Boolean ? Optional.of(value) : Optional.empty();
        }
        if (raw == String.class) {
            return text(value).map(s -> (Object) s);
        }
        if (raw == Secret.class) {
            return value instanceof Secret ? Optional.of(value) : text(value).map(Secret::literal);
        }
        if (raw == List.class) {
            return strings(value);
        }
        if (raw == Map.class) {
            return map(value, type);
        }
        if (raw == Object.class) {
            return Optional.of(plain(value));
        }
        return Optional.empty();
    }

    /** How a value is named in an error: {@code the text 'three'}, {@code the number 4}. */
    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Word word) {
            return "the word " + Excerpt.of(word.name());
        }
        if (value instanceof CharSequence) {
            return "the text '" + Excerpt.of((CharSequence) value) + "'";
        }
        if (value instanceof Number) {
            return "the number " + Excerpt.of(value.toString());
        }
        if (value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Secret secret) {
            return "a secret from " + secret.origin();
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof groovy.lang.Closure) {
            return "a block { … }";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static Optional<Object> wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).intValue());
        }
        if (value instanceof Long || value instanceof BigInteger) {
            BigInteger big = value instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) value;
            return big.bitLength() < 32 ? Optional.of(big.intValue()) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> text(Object value) {
        if (value instanceof CharSequence || value instanceof Word) {
            return Optional.of(value.toString());
        }
        return Optional.empty();
    }

    private static Optional<Object> strings(Object value) {
        if (value instanceof CharSequence || value instanceof Word) {
            return Optional.of(List.of(value.toString()));
        }
        if (!(value instanceof List<?> list)) {
            return Optional.empty();
        }
        List<String> result = new ArrayList<>();
        for (Object element : list) {
            Optional<String> item = element instanceof Number n ? Optional.of(n.toString()) : text(element);
            if (item.isEmpty()) {
                return Optional.empty();
            }
            result.add(item.get());
        }
        return Optional.of(List.copyOf(result));
    }

    private static Optional<Object> map(Object value, Type type) {
        if (!(value instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        boolean stringValues = type instanceof ParameterizedType p && p.getActualTypeArguments()[1] == String.class;
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object item = plain(entry.getValue());
            if (stringValues) {
                if (!(item instanceof String || item instanceof Number)) {
                    return Optional.empty();
                }
                item = item.toString();
            }
            result.put(String.valueOf(entry.getKey()), item);
        }
        return Optional.of(result);
    }

    /** GStrings and words become strings, all the way down, so builders and YAML see plain values. */
    static Object plain(Object value) {
        if (value instanceof CharSequence || value instanceof Word) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Values::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), plain(v)));
            return result;
        }
        return value;
    }
}
