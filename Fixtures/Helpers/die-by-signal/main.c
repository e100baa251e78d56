/* die-by-signal N: leaves a file in its TMPDIR and prints that folder's path, then ends by signal N
   (default SIGSEGV), with the default disposition restored first, as a runner that crashes would. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int number = argc > 1 ? atoi(argv[1]) : SIGSEGV;
    const char *folder = getenv("TMPDIR");
    if (folder != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/left-behind", folder);
        FILE *file = fopen(path, "w");
        if (file != NULL) fclose(file);
        printf("%s\n", folder);
        fflush(stdout);
    }
    signal(number, SIG_DFL);
    raise(number);
    _exit(0);
}
