// Named locks (`gpu`, `download`, `node:spark1`): which job holds each one. Checking and taking
// happen in one synchronous call, so two starts can never both pass the check.
export class LockTable {
  private readonly holders = new Map<string, string>();

  holderOf(lock: string): string | undefined {
    return this.holders.get(lock);
  }

  /** The first lock held by another job, or takes them all and answers undefined. */
  tryTake(id: string, locks: string[]): { lock: string; holder: string } | undefined {
    for (const lock of locks) {
      const holder = this.holders.get(lock);
      if (holder !== undefined && holder !== id) return { lock, holder };
    }
    for (const lock of locks) this.holders.set(lock, id);
    return undefined;
  }

  release(id: string): void {
    for (const [lock, holder] of this.holders) if (holder === id) this.holders.delete(lock);
  }
}
