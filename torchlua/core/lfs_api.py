"""The system calls behind the `lfs` package (LuaFileSystem).

Every function returns plain values Lua can read: on success the results, on
failure (None, message, errno) so the Lua side can return LuaFileSystem's
`nil, message, code` triple unchanged."""
import os
import stat


def _fail(e, fmt=None, *args):
    msg = e.strerror or str(e)
    if fmt:
        msg = fmt % (args + (msg,))
    return None, msg, e.errno or 0


_MODES = [
    (stat.S_ISREG, "file"), (stat.S_ISDIR, "directory"), (stat.S_ISLNK, "link"),
    (stat.S_ISSOCK, "socket"), (stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "char device"),
    (stat.S_ISBLK, "block device"),
]


def _mode_name(m):
    for test, name in _MODES:
        if test(m):
            return name
    return "other"


def _perm_string(m):
    bits = "rwxrwxrwx"
    return "".join(bits[i] if m & (1 << (8 - i)) else "-" for i in range(9))


def lfs_stat(path, follow):
    """(true, mode, dev, ino, nlink, uid, gid, rdev, access, modification, change, size,
    permissions, blocks, blksize, target) or (None, message, errno)."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as e:
        return _fail(e, "cannot obtain information from file '%s': %s", path)
    target = None
    if not follow and stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = None
    return (True, _mode_name(st.st_mode), st.st_dev, st.st_ino, st.st_nlink, st.st_uid,
            st.st_gid, st.st_rdev, int(st.st_atime), int(st.st_mtime), int(st.st_ctime),
            st.st_size, _perm_string(st.st_mode), st.st_blocks, st.st_blksize, target)


def lfs_mkdir(path):
    try:
        os.mkdir(path, 0o777)
        return True
    except OSError as e:
        return _fail(e)


def lfs_rmdir(path):
    try:
        os.rmdir(path)
        return True
    except OSError as e:
        return _fail(e)


def lfs_currentdir():
    try:
        return os.getcwd()
    except OSError as e:
        return _fail(e)


def lfs_chdir(path):
    try:
        os.chdir(path)
        return True
    except OSError as e:
        return None, "Unable to change working directory to '%s'\n%s\n" % (path, e.strerror)


def lfs_listdir(path):
    """Entries (with '.' and '..') joined by '\\0', or (None, message)."""
    try:
        names = os.listdir(path)
    except OSError as e:
        return None, "cannot open %s: %s" % (path, e.strerror)
    return "\0".join([".", ".."] + names)


def lfs_touch(path, atime, mtime):
    try:
        if atime is None and mtime is None:
            os.utime(path, None)
        else:
            os.utime(path, (atime, mtime))
        return True
    except OSError as e:
        return _fail(e)


def lfs_link(old, new, symbolic):
    try:
        if symbolic:
            os.symlink(old, new)
        else:
            os.link(old, new)
        return True
    except OSError as e:
        return _fail(e)


def lfs_lock(fd, mode, start, length):
    """fcntl record lock on an open descriptor (mode 'r', 'w' or 'u'), never blocking."""
    import fcntl
    op = {"r": fcntl.LOCK_SH, "w": fcntl.LOCK_EX, "u": fcntl.LOCK_UN}[mode]
    if mode != "u":
        op |= fcntl.LOCK_NB
    try:
        fcntl.lockf(fd, op, length, start, os.SEEK_SET)
        return True
    except OSError as e:
        return _fail(e)


def lfs_lock_dir(path):
    """Create `path`/lockfile.lfs as a symlink (as LuaFileSystem does): (True, file), or
    (None, message, errno) where errno is only for the Lua side's staleness check."""
    lock = os.path.join(path, "lockfile.lfs")
    try:
        os.symlink("lock", lock)
        return True, lock
    except OSError as e:
        return None, e.strerror, e.errno


def lfs_unlink(path):
    try:
        os.unlink(path)
        return True
    except OSError as e:
        return _fail(e)


def lfs_lock_age(path):
    """Seconds since the lock symlink was made, or None."""
    import time
    try:
        return time.time() - os.lstat(path).st_mtime
    except OSError:
        return None


EXPORTS = {name: fn for name, fn in globals().items() if name.startswith("lfs_") and callable(fn)}
