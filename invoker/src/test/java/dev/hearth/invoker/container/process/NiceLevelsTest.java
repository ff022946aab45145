package dev.hearth.invoker.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.cpu.ProcStat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NiceLevelsTest {

    /** A real stat line's shape: pid, (comm), state, then fields 4.. ; the nice value is field 19. */
    static String stat(String comm, int nice) {
        return "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 " + nice
                + " 12 0 1234 5678 90 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "java           | 0",
                "java           | 19",
                "C2 CompilerThre| -5",
                "a) b (c)       | 19", // parentheses and spaces in the name: fields count from the last ')'
            })
    void readsTheNiceValueOfAStatLine(String comm, int nice) {
        assertThat(ProcStat.nice(stat(comm, nice))).isEqualTo(nice);
    }

    @ParameterizedTest
    @CsvSource({
        "NORMAL, 1.0, 0",
        "NORMAL, 2.0, -3", // weight 1991 against 1024: 1.94x
        "NORMAL, 0.5, 0", // never below the platform's own threads (526 would be 0.51x)
        "NORMAL, 0.9, 0",
        "NORMAL, 1.2, -1",
        "NORMAL, 0.1, 0",
        "NORMAL, 10, -10", // 9548: 9.3x
        "NORMAL, 100, -20", // the ceiling: 88761, 87x
        "NORMAL, 1000, -20",
        "BACKGROUND, 1.0, 19",
        "BACKGROUND, 2.0, 19", // a share waits for the normal priority
    })
    void aShareIsTheNiceLevelOfTheNearestWeight(CpuPriority priority, double share, int level) {
        assertThat(NiceLevels.level(priority, share)).isEqualTo(level);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // CapEff            | soft RLIMIT_NICE | lowest level (above 0: find offers nothing)
                "000001ffffffffff    | 0                | -20", // root: CAP_SYS_NICE (bit 23)
                "0000000000800000    | 0                | -20", // CAP_SYS_NICE alone
                "0000000000000000    | 0                | 20", // a plain user
                "00000000ff7fffff    | 0                | 20", // everything but CAP_SYS_NICE
                "0000000000000000    | 19               | 1", // may go down to nice 1 only
                "0000000000000000    | 20               | 0", // back to 0, no CPU share above 1
                "0000000000000000    | 30               | -10", // a rare function's -10, not the -20 of 100
                "0000000000000000    | unlimited        | -20",
            })
    void theLowestLevelComesFromCapSysNiceOrTheRlimit(String capEff, String rlimit, int lowest) {
        String status = "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapEff:\t" + capEff
                + "\nCapBnd:\t000001ffffffffff\n";
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max open files            1024                 4096                 files     \n"
                + "Max nice priority         " + rlimit + "                    " + rlimit + "                    \n";
        assertThat(NiceLevels.lowest(status, limits)).isEqualTo(lowest);
    }
}
