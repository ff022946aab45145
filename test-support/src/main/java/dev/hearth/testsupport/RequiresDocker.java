package dev.hearth.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that need a real Docker engine (on {@code /var/run/docker.sock}) with the locally built
 * {@code hearth/runtime-proxy:latest} image, and tags them {@code docker} ({@code -Dgroups=docker}
 * runs only them). Without an engine or the image they are skipped with a loud message saying how to
 * get one ({@code deploy/docker/engine up}, {@code deploy/docker/build-images}); under {@code CI=true}
 * they fail instead: CI must not pass by skipping them. See {@link DockerEngine}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@ExtendWith(DockerEngine.Condition.class)
public @interface RequiresDocker {}
