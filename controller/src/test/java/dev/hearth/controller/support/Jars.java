package dev.hearth.controller.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small zip archives for action bodies; the controller only checks that the code is an archive. */
public final class Jars {
    private Jars() {}

    public static byte[] jar(String entryContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("hearth/Main.class");
            entry.setTime(0); // same content, same bytes: the entry's time would differ across a 2 s boundary
            zip.putNextEntry(entry);
            zip.write(entryContent.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String base64Jar(String entryContent) {
        return Base64.getEncoder().encodeToString(jar(entryContent));
    }

    /** A PUT body for a java action. */
    public static String javaAction(String entryContent, String extra) {
        return "{\"exec\":{\"kind\":\"java\",\"code\":\"" + base64Jar(entryContent)
                + "\",\"binary\":true,\"main\":\"hearth.Main\"}" + (extra == null ? "" : "," + extra) + "}";
    }
}
