package dev.hearth.common.message;

/** Kafka topic names (see DESIGN.md, "Kafka topics"). */
public final class Topics {
    public static final String HEALTH = "health";
    public static final String EVENTS = "events";
    public static final String SCHEDULING = "scheduling";
    /** Action updates and deletes ({@link ActionChange}), from the controller that made them to everyone. */
    public static final String ENTITIES = "entities";

    private Topics() {}

    /** Activation messages for invoker {@code n}. */
    public static String invoker(int n) {
        return "invoker" + n;
    }

    /** Completions for controller {@code c}. */
    public static String completed(int c) {
        return "completed" + c;
    }
}
