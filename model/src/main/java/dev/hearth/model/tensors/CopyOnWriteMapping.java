package dev.hearth.model.tensors;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A copy-on-write mapping of a file this process may only read: {@code open(O_RDONLY)} then
 * {@code mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE)} through libc (JNA). The kernel allows a writable
 * private mapping of a read-only descriptor because a write never reaches the file: it copies the
 * touched page into the writer's anonymous memory. Java's {@code FileChannel.map(PRIVATE)} refuses
 * such a channel ({@code NonWritableChannelException}), which is why this exists: a Docker container
 * sees the tensor store on a read-only bind mount, and must still get mappings an in-place op can
 * write to (a {@code READ_ONLY} mapping would make that write kill the JVM inside libtorch).
 *
 * <p>The mapping lives until the returned buffer (and every view of it) is unreachable; a
 * {@link Cleaner} then unmaps it, as for a {@code MappedByteBuffer}.
 */
final class CopyOnWriteMapping {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // Linux (x86-64, arm64)
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2;
    private static final Cleaner CLEANER = Cleaner.create();

    private CopyOnWriteMapping() {}

    /** {@code size} bytes of {@code file} from offset 0, copy-on-write, in native byte order. */
    static ByteBuffer map(Path file, long size) throws IOException {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IOException("cannot map " + size + " bytes of " + file);
        }
        NativeLibrary c;
        try {
            c = NativeLibrary.getInstance("c");
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("no libc to map " + file + " copy-on-write: " + e.getMessage(), e);
        }
        Function open = c.getFunction("open");
        Function mmap = c.getFunction("mmap");
        Function close = c.getFunction("close");
        Function munmap = c.getFunction("munmap");
        int fd = open.invokeInt(new Object[] {file.toAbsolutePath().toString(), O_RDONLY | O_CLOEXEC});
        if (fd < 0) {
            throw new IOException("cannot open " + file + " for reading (errno " + Native.getLastError() + ")");
        }
        Pointer address;
        try {
            address = (Pointer)
                    mmap.invoke(Pointer.class, new Object[] {null, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0L});
        } finally {
            close.invokeInt(new Object[] {fd});
        }
        long value = Pointer.nativeValue(address);
        if (address == null || value == -1L) {
            throw new IOException("cannot map " + file + " copy-on-write (errno " + Native.getLastError() + ")");
        }
        ByteBuffer buffer = address.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        CLEANER.register(buffer, () -> munmap.invokeInt(new Object[] {new Pointer(value), size}));
        return buffer;
    }
}
