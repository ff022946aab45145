package dev.hearth.invoker.cpu;

/** Fields of a Linux {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line. */
public final class ProcStat {
    private ProcStat() {}

    /**
     * The nice value: field 19, counting from the pid as field 1. The command name (field 2) is in
     * parentheses and may hold spaces and parentheses itself, so fields are counted from the last {@code ')'}.
     */
    public static int nice(String stat) {
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(rest[19 - 3]);
    }
}
