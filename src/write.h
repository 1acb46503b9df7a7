/* `pxebond write`: the bond that worked, in the installed system's own network format. */
#ifndef PXEBOND_WRITE_H
#define PXEBOND_WRITE_H

/* As the other commands: 2 usage error, 3 failure (nothing written). */
enum { WRITE_EXIT_OK = 0, WRITE_EXIT_USAGE = 2, WRITE_EXIT_FAILED = 3 };

/* argv[0] is "write". Returns one of the WRITE_EXIT_* codes. */
int write_main(int argc, char **argv);

extern const char write_help[];

#endif
