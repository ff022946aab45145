package dev.hearth.invoker.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link DockerApi} over docker-java (Apache HttpClient 5 transport) at a {@code unix://} or {@code tcp://} host. */
final class DockerJavaApi implements DockerApi {
    private final DockerClient client;

    DockerJavaApi(String dockerHost) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(200) // one long-lived attach per container, plus calls
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public void ping() {
        client.pingCmd().exec();
    }

    @Override
    public boolean hasImage(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public String create(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes()) // no swap: the limit is the limit
                .withCpuShares(spec.cpuShares())
                .withPidsLimit(spec.pidsLimit())
                .withReadonlyRootfs(spec.readOnlyRootFs())
                .withTmpFs(spec.tmpfs())
                .withBinds(spec.binds().stream()
                        .map(b -> new com.github.dockerjava.api.model.Bind(
                                b.hostPath().toString(),
                                new Volume(b.containerPath().toString()),
                                b.readOnly() ? AccessMode.ro : AccessMode.rw))
                        .toList())
                .withNetworkMode(spec.network())
                .withSecurityOpts(List.of("no-new-privileges"))
                .withCapDrop(Capability.ALL)
                .withLogConfig(
                        new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m", "max-file", "1")));
        if (spec.nanoCpus() > 0) {
            host.withNanoCPUs(spec.nanoCpus());
        }
        return client.createContainerCmd(spec.image())
                .withName(spec.name())
                .withCmd(spec.command())
                .withEnv(spec.env().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList())
                .withLabels(spec.labels())
                .withHostConfig(host)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId();
    }

    @Override
    public AutoCloseable attach(String id, Output sink) {
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                sink.chunk(frame.getStreamType() == StreamType.STDERR, frame.getPayload());
            }

            @Override
            public void onError(Throwable throwable) {
                sink.end();
                super.onError(throwable);
            }

            @Override
            public void onComplete() {
                sink.end();
                super.onComplete();
            }
        };
        client.attachContainerCmd(id)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .withLogs(true)
                .exec(callback);
        try {
            callback.awaitStarted(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return callback;
    }

    @Override
    public void start(String id) {
        client.startContainerCmd(id).exec();
    }

    @Override
    public String ipAddress(String id, String network) {
        Map<String, ContainerNetwork> networks =
                client.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
        ContainerNetwork n = networks.get(network);
        if (n == null || n.getIpAddress() == null || n.getIpAddress().isBlank()) {
            throw new IllegalStateException("container " + id + " has no address on network " + network + " (it has "
                    + networks.keySet() + ")");
        }
        return n.getIpAddress();
    }

    @Override
    public void pause(String id) {
        client.pauseContainerCmd(id).exec();
    }

    @Override
    public void unpause(String id) {
        client.unpauseContainerCmd(id).exec();
    }

    @Override
    public void updateCpuShares(String id, int cpuShares) {
        client.updateContainerCmd(id).withCpuShares(cpuShares).exec();
    }

    @Override
    public int cpuShares(String id) {
        Integer shares = client.inspectContainerCmd(id).exec().getHostConfig().getCpuShares();
        return shares == null ? 0 : shares;
    }

    @Override
    public void remove(String id) {
        try {
            client.removeContainerCmd(id)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public List<String> listByLabel(String key, String value) {
        return client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec().stream()
                .map(com.github.dockerjava.api.model.Container::getId)
                .toList();
    }

    @Override
    public long pid(String id) {
        Long pid = client.inspectContainerCmd(id).exec().getState().getPidLong();
        return pid == null ? 0 : pid;
    }

    @Override
    public Status inspect(String id) {
        InspectContainerResponse.ContainerState s =
                client.inspectContainerCmd(id).exec().getState();
        boolean running = Boolean.TRUE.equals(s.getRunning());
        return new Status(
                running,
                Boolean.TRUE.equals(s.getPaused()),
                Boolean.TRUE.equals(s.getOOMKilled()),
                running ? null : s.getExitCodeLong());
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (java.io.IOException e) {
            // nothing to do at shutdown
        }
    }
}
