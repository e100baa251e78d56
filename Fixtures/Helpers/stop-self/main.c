/* stop-self: stops itself with SIGSTOP and so never ends on its own, as a runner that hangs would.
   Only SIGKILL (or SIGCONT then SIGTERM) ends it. */
#include <signal.h>
#include <unistd.h>

int main(void) {
    for (;;) raise(SIGSTOP);
}
