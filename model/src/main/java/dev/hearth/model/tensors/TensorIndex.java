package dev.hearth.model.tensors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model's parameter tensors as the {@link TensorStore} holds them, in the block's parameter order:
 * what a loader needs to map every weight without opening the model file. Written only after a full
 * load has checked every name and shape against the block, so a loader that finds an index for its
 * bundle may trust it.
 *
 * <p>Text, one line per tensor ({@code name dataType dim,dim,... sha256 size}), after a first line
 * {@code hearth-tensor-index 1} and before a last line {@code check <sha256 of everything above>}: a
 * damaged index fails {@link #parse} and is rebuilt, never half-used.
 */
public record TensorIndex(List<Entry> entries) {

    private static final String HEADER = "hearth-tensor-index 1";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("\\S+");

    /** One parameter's tensor: its block-local name, DJL data type name, shape, store hash and size. */
    public record Entry(String name, String dataType, long[] shape, String sha256, long size) {
        public Entry {
            if (!NAME.matcher(name).matches() || !NAME.matcher(dataType).matches()) {
                throw new IllegalArgumentException("an index entry's name and type are single words: " + name);
            }
            if (!HASH.matcher(sha256).matches() || size < 0) {
                throw new IllegalArgumentException("an index entry needs a SHA-256 and a size: " + sha256);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e
                    && name.equals(e.name)
                    && dataType.equals(e.dataType)
                    && Arrays.equals(shape, e.shape)
                    && sha256.equals(e.sha256)
                    && size == e.size;
        }

        @Override
        public int hashCode() {
            return sha256.hashCode();
        }
    }

    public TensorIndex {
        entries = List.copyOf(entries);
    }

    /** The total bytes of the model's tensors. */
    public long bytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    String format() {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            body.append(e.name())
                    .append(' ')
                    .append(e.dataType())
                    .append(' ')
                    .append(dims(e.shape))
                    .append(' ')
                    .append(e.sha256())
                    .append(' ')
                    .append(e.size())
                    .append('\n');
        }
        return body + "check " + sha256(body.toString()) + "\n";
    }

    static TensorIndex parse(String text) {
        int check = text.lastIndexOf("check ");
        if (!text.startsWith(HEADER + "\n") || check < 0) {
            throw new IllegalArgumentException("not a tensor index");
        }
        String body = text.substring(0, check);
        if (!text.substring(check + 6).strip().equals(sha256(body))) {
            throw new IllegalArgumentException("the tensor index fails its check");
        }
        List<Entry> entries = new ArrayList<>();
        String[] lines = body.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            if (f.length != 5) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the tensor index is malformed");
            }
            entries.add(new Entry(f[0], f[1], parseDims(f[2]), f[3], Long.parseLong(f[4])));
        }
        return new TensorIndex(entries);
    }

    private static String dims(long[] shape) {
        if (shape.length == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (long d : shape) {
            out.append(out.isEmpty() ? "" : ",").append(d);
        }
        return out.toString();
    }

    private static long[] parseDims(String text) {
        if (text.equals("-")) {
            return new long[0];
        }
        return Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
