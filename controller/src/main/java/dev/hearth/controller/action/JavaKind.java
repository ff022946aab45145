package dev.hearth.controller.action;

import dev.hearth.controller.web.ApiException;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/**
 * {@code java}: a jar (base64 with {@code binary: true}, or the digest of an uploaded one) and the
 * fully qualified class whose {@code public static JsonObject main(JsonObject)} is the entry point.
 * Only the archive's magic bytes are checked here; the invoker finds out whether the class is in it.
 */
@Component
class JavaKind implements ExecKind {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public OptionalInt validate(String main, boolean binary, ArtifactContent artifact) {
        if (main == null || main.isBlank()) {
            throw new ApiException.BadRequest("Java actions require 'exec.main', the fully qualified name of the "
                    + "class with the main method.");
        }
        if (!binary) {
            throw new ApiException.BadRequest(
                    "Java actions require 'exec.binary' to be true and 'exec.code' to be " + "a base64-encoded jar.");
        }
        if (!isZip(artifact.read((in, size) -> in.readNBytes(4)))) {
            throw new ApiException.BadRequest("The code of a Java action must be a jar or zip archive.");
        }
        return OptionalInt.empty();
    }

    /** Local file header or (empty archive) end-of-central-directory signature. */
    static boolean isZip(byte[] code) {
        return code.length >= 4
                && code[0] == 'P'
                && code[1] == 'K'
                && ((code[2] == 3 && code[3] == 4) || (code[2] == 5 && code[3] == 6));
    }
}
