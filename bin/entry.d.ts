/** Newest modification time (ms) of a file under dir, or Infinity when dir cannot be read. */
export function newestMtime(dir: string): number;
/** 'dist' when root/dist holds a build at least as new as every file of root/src, else 'src'. */
export function chooseEntry(root: string): 'dist' | 'src';
