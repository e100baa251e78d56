/* exit-with N: exits with status N at once, printing nothing. A process that ends "normally" but
   says nothing, as a broken runner would. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) { _exit(argc > 1 ? atoi(argv[1]) : 0); }
