package dev.hearth.model.bundle;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw tensors inside a {@link ParamsFile} (DJL 0.35's {@code .params}), found without creating any
 * NDArray, so a loader can put them somewhere other than private native memory.
 *
 * <p>The layout, all integers big-endian ({@code DataOutputStream}), strings as modified UTF-8 with a
 * 2-byte length ({@code writeUTF}):
 * <pre>
 * file      = "DJL@" int(version=1) utf(modelName) utf(dataType) int(n) {utf(name) shape}*n int(m) {utf utf}*m block
 * block     = byte(blockVersion) metadata parameter* block*        (Block.saveParameters: direct parameters, then children)
 * metadata  = block-specific (input shapes, BatchNorm's channel count, ...): NOT interpreted here
 * parameter = char('P') byte(1) utf(localName) ndarray | char('N')   ('N': uninitialised, no data)
 * ndarray   = utf("NDAR") int(v=1..3) [v>1: byte(hasName) (utf(name) if 1)] utf(sparseFormat) utf(dataType)
 *             shape [v>2: byte('&lt;' little | '&gt;' big endian)] int(length) byte*length
 * shape     = int(ndim) long*ndim int(layoutLength) char*layoutLength
 * </pre>
 * The data is the engine's {@code toByteBuffer()}: on PyTorch, native order, so little-endian and marked
 * {@code '<'} on x86-64 and arm64 (version 1/2 files carry no mark and mean native order). Data in the
 * other order is converted once, here, so callers always get native-order bytes.
 *
 * <p>Because block metadata is block-specific, the reader does not walk the block tree: given the
 * block's parameters in save order (their local names, from {@code block.getParameters()}), it finds
 * each record by its exact header {@code 00 50 01 utf(localName) 00 04 "NDAR"} at or after the end
 * of the previous tensor, within {@link #MAX_GAP} bytes (only version bytes and metadata lie between).
 * What it finds is checked (dense, non-string type, length = elements x element size), and the
 * caller compares names and shapes with the block. A file it cannot read this way is refused with
 * {@link MalformedModelException}; the caller then loads it privately, through DJL.
 */
public final class ParamsTensors {

    /** Most bytes of block metadata accepted between two parameter records. */
    static final int MAX_GAP = 1 << 16;

    /**
     * One parameter's tensor.
     *
     * @param data its bytes in native order, positioned at 0; a slice of the caller's buffer when no
     *     conversion was needed
     */
    public record RawTensor(String localName, DataType dataType, Shape shape, ByteBuffer data) {}

    private ParamsTensors() {}

    /**
     * The tensors of {@code params} (the whole {@code .params} file), one per name of
     * {@code localNames} in that order.
     */
    public static List<RawTensor> read(ByteBuffer params, List<String> localNames) throws MalformedModelException {
        ByteBuffer in = params.duplicate().order(ByteOrder.BIG_ENDIAN);
        try {
            header(in);
            List<RawTensor> tensors = new ArrayList<>(localNames.size());
            for (String name : localNames) {
                int at = find(in, marker(name));
                if (at < 0) {
                    throw new MalformedModelException("no record for parameter '" + name + "' within " + MAX_GAP
                            + " bytes of offset " + in.position());
                }
                in.position(at + marker(name).length);
                tensors.add(ndarray(in, name));
            }
            return tensors;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedModelException("the file ends early or is not DJL's encoding (" + e + ")", e);
        }
    }

    private static void header(ByteBuffer in) throws MalformedModelException {
        byte[] magic = new byte[4];
        in.get(magic);
        if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new MalformedModelException("it is not a DJL parameters file (no DJL@ header)");
        }
        int version = in.getInt();
        if (version != ParamsFile.MODEL_VERSION) {
            throw new MalformedModelException("unsupported DJL parameters version " + version);
        }
        utf(in); // model name
        utf(in); // data type
        int inputs = in.getInt();
        for (int i = 0; i < inputs; i++) {
            utf(in);
            shape(in);
        }
        int properties = in.getInt();
        for (int i = 0; i < properties; i++) {
            utf(in);
            utf(in);
        }
    }

    private static RawTensor ndarray(ByteBuffer in, String name) throws MalformedModelException {
        int version = in.getInt();
        if (version < 1 || version > 3) {
            throw new MalformedModelException("parameter '" + name + "' has NDArray encoding version " + version);
        }
        if (version > 1 && in.get() == 1) {
            utf(in); // the array's own name
        }
        String sparse = utf(in);
        if (!"DENSE".equals(sparse)) {
            throw new MalformedModelException("parameter '" + name + "' is " + sparse + ", not dense");
        }
        DataType type = DataType.valueOf(utf(in));
        Shape shape = shape(in);
        if (type == DataType.STRING || type.getNumOfBytes() <= 0) {
            throw new MalformedModelException("parameter '" + name + "' has data type " + type);
        }
        ByteOrder order = ByteOrder.nativeOrder();
        if (version > 2) {
            order = in.get() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
        int length = in.getInt();
        long expected = shape.size() * type.getNumOfBytes();
        if (length < 0 || length != expected) {
            throw new MalformedModelException("parameter '" + name + "' holds " + length + " bytes but " + shape + " "
                    + type + " needs " + expected);
        }
        ByteBuffer data = in.slice(in.position(), length);
        in.position(in.position() + length);
        return new RawTensor(name, type, shape, toNative(data, order, type.getNumOfBytes()));
    }

    /** {@code data} in native order: the slice itself, or a converted copy. */
    static ByteBuffer toNative(ByteBuffer data, ByteOrder order, int elementBytes) {
        if (order == ByteOrder.nativeOrder() || elementBytes == 1) {
            return data.slice().order(ByteOrder.nativeOrder());
        }
        ByteBuffer out = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
        byte[] element = new byte[elementBytes];
        ByteBuffer src = data.duplicate();
        while (src.hasRemaining()) {
            src.get(element);
            for (int i = elementBytes - 1; i >= 0; i--) {
                out.put(element[i]);
            }
        }
        return out.flip();
    }

    private static Shape shape(ByteBuffer in) {
        int ndim = in.getInt();
        if (ndim < 0 || ndim > 64) {
            throw new IllegalArgumentException("a shape with " + ndim + " dimensions");
        }
        long[] dims = new long[ndim];
        for (int i = 0; i < ndim; i++) {
            dims[i] = in.getLong();
        }
        int layout = in.getInt();
        if (layout < 0 || layout > 64) {
            throw new IllegalArgumentException("a shape layout of " + layout + " characters");
        }
        in.position(in.position() + 2 * layout);
        return new Shape(dims);
    }

    private static String utf(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8); // names and type names are ASCII
    }

    /** {@code char('P') byte(1) utf(name) utf("NDAR")} exactly as DataOutputStream writes them. */
    static byte[] marker(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeChar('P');
            out.writeByte(1);
            out.writeUTF(name);
            out.writeUTF("NDAR");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** The first index at or after {@code in.position()} (within {@link #MAX_GAP}) where {@code pattern} starts, or -1. */
    private static int find(ByteBuffer in, byte[] pattern) {
        int from = in.position();
        int last = Math.min(in.limit() - pattern.length, from + MAX_GAP);
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (in.get(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
