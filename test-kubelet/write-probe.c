/* The fleet suite's write probe, run in a pod with the fleet pod's mounts: tries to write everywhere under
 * each argument, without following links. It creates a file in every directory (removed again at once
 * if that works) and opens every regular file for appending, writing nothing. One line per attempt:
 * "denied <EROFS|EACCES|errno text> dir|file <path>" or "WRITABLE dir|file <path>". Static C, because
 * the image it runs in is FROM scratch: no shell, no coreutils. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errname(int e) {
  return e == EROFS ? "EROFS" : e == EACCES ? "EACCES" : strerror(e);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  if (type == FTW_D) {
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/.prisma-audit-write-probe", path);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
      close(fd);
      unlink(probe);
      printf("WRITABLE dir %s\n", path);
    } else {
      printf("denied %s dir %s\n", errname(errno), path);
    }
  } else if (type == FTW_DNR) {
    printf("unreadable dir %s\n", path);
  } else if (type == FTW_F && S_ISREG(st->st_mode)) {
    /* Regular files only: opening a FIFO for writing would block. */
    int fd = open(path, O_WRONLY | O_APPEND);
    if (fd >= 0) {
      close(fd);
      printf("WRITABLE file %s\n", path);
    } else {
      printf("denied %s file %s\n", errname(errno), path);
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (nftw(argv[i], visit, 16, FTW_PHYS) != 0) {
      perror(argv[i]);
      return 2;
    }
  }
  return 0;
}
