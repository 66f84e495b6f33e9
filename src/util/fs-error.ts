/** Why a path could not be used, from a file-system error, in words and with its code. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder (ENOENT)';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system (ENAMETOOLONG)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EFBIG':
      return 'file too large for the file size limit (EFBIG)';
    case 'EROFS':
      return 'read-only file system (EROFS)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
