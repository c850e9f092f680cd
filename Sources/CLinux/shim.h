#ifndef MASTERY_CLINUX_SHIM_H
#define MASTERY_CLINUX_SHIM_H

#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

/* syscall(2) is variadic, which Swift cannot call. A descriptor that becomes
   readable when the process ends (Linux 5.3), or -1. */
static inline int mastery_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  (void)pid;
  return -1;
#endif
}

/* The file system type of a path (statfs f_type; 0x01021994 is tmpfs), or -1.
   statfs is not in Swift's Glibc module. */
static inline long mastery_filesystemType(const char *path) {
  struct statfs info;
  return statfs(path, &info) == 0 ? (long)info.f_type : -1;
}

#endif
