/* `down`: undoes exactly what `up` did, as its state records it. */
#ifndef PXEBOND_DOWN_H
#define PXEBOND_DOWN_H

/* Stops the lease renewer, deletes the bond (or takes the lease's address and MTU off the
 * single NIC), puts every probed NIC back up or down as it was, removes the state. No
 * state: nothing to undo, 0. -errno on failure (logged). */
int down_run(const char *state_dir);

#endif
