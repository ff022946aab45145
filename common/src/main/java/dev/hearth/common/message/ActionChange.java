package dev.hearth.common.message;

/**
 * Controller → controllers, scheduler and invokers on {@code entities}: an action was updated or deleted.
 * {@code action} is its path ({@code ns/name}); {@code version} the version stored by an update (null for a
 * delete); {@code changedAt} epoch ms on the controller's clock — the clock of the {@code sentAt} of its
 * activation messages and the {@code arrivedAt} of their events, so a reader can tell the calls made before
 * the change (still run and recorded, but no reason to keep anything warm) from those after it.
 *
 * <p>What readers do: a controller drops the action from its cache (the others' updates are seen at once,
 * not after the cache's time-to-live); the scheduler forgets a deleted action, so no warm or pre-load target
 * outlives it; an invoker removes the idle containers that hold code the action no longer has and stops
 * starting or pre-loading it until a call of the new version arrives.
 */
public record ActionChange(
        int schema, String transactionId, String action, Change change, String version, long changedAt)
        implements Message {

    public enum Change {
        UPDATED,
        DELETED
    }

    public ActionChange {
        if (action == null || action.isBlank() || change == null) {
            throw new IllegalArgumentException("an action change needs the action and what changed");
        }
        if (change == Change.UPDATED && version == null) {
            throw new IllegalArgumentException("an update of " + action + " needs the version it stored");
        }
    }

    public static ActionChange updated(String transactionId, String action, String version, long at) {
        return new ActionChange(SCHEMA, transactionId, action, Change.UPDATED, version, at);
    }

    public static ActionChange deleted(String transactionId, String action, long at) {
        return new ActionChange(SCHEMA, transactionId, action, Change.DELETED, null, at);
    }
}
