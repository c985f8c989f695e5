import { v7 } from 'uuid';

/** Time-ordered UUIDv7, made at the branch for every record that replicates to central. */
export function newId(): string {
  return v7();
}
