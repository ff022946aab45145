package dev.hearth.model.bundle;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DJL's {@code .params} file, as {@code Model.save} writes it and {@code Model.load} reads it: the
 * header {@code "DJL@"}, a version (1), the model name, the data type, the input descriptions, the
 * properties, then {@link Block#saveParameters}. Written here without input descriptions or
 * properties, so the same block gives the same bytes.
 */
public final class ParamsFile {

    static final int MODEL_VERSION = 1;

    private ParamsFile() {}

    /** Writes an initialized block's parameters to {@code file}. */
    public static void write(Block block, String modelName, Path file) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeBytes("DJL@");
            out.writeInt(MODEL_VERSION);
            out.writeUTF(modelName);
            out.writeUTF(DataType.FLOAT32.name());
            out.writeInt(0); // input descriptions
            out.writeInt(0); // properties
            block.saveParameters(out);
        }
    }

    /**
     * Reads the parameters in {@code file} into {@code block} (arrays attached to {@code manager}).
     *
     * @throws MalformedModelException when the file is not DJL's format, does not fit the block's
     *     structure, or has bytes left over
     * @throws EOFException when the file ends before the block has all its parameters
     */
    public static void read(Path file, Block block, NDManager manager) throws IOException, MalformedModelException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new MalformedModelException("it is not a DJL parameters file (no DJL@ header)");
            }
            int version = in.readInt();
            if (version != MODEL_VERSION) {
                throw new MalformedModelException("unsupported DJL parameters version " + version);
            }
            in.readUTF(); // model name
            in.readUTF(); // data type
            int inputs = in.readInt();
            for (int i = 0; i < inputs; i++) {
                in.readUTF();
                ai.djl.ndarray.types.Shape.decode(in);
            }
            int properties = in.readInt();
            for (int i = 0; i < properties; i++) {
                in.readUTF();
                in.readUTF();
            }
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new MalformedModelException("it has more data after the block's last parameter");
            }
        }
    }
}
