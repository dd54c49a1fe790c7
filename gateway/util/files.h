/*
 * files: folders made on demand, for the daemon and the office's
 * commands alike (the database's folder, the dummy modem's inbox).
 */
#ifndef KENTONGAN_FILES_H
#define KENTONGAN_FILES_H

/* mkdir -p; 0, or -1 with errno set. */
int make_dirs(const char *path);
/* The folder a file lives in, made if missing; 0, or -1 with errno. */
int make_parent(const char *file);

#endif
