/**
 * The batching half of group commit, shared by the event log and the store: work queued during one turn
 * of the event loop is handed over as ONE batch on the next setImmediate, and while a batch is being
 * written new work piles up to form the next. The busier the process, the bigger the batches and the
 * fewer fsyncs per item. What a batch means (one transaction, how each job is settled) is the caller's.
 */
export interface GroupCommit<Job> {
  /** Queues a job for the next batch; false once closing, when the caller must refuse the job itself. */
  enqueue(job: Job): boolean;
  /** Refuses new jobs, writes the batch in flight and everything queued behind it, then `afterDrain`. */
  close(): Promise<void>;
}

export function createGroupCommit<Job>(
  writeBatch: (jobs: readonly Job[]) => Promise<void>,
  afterDrain: () => Promise<void>,
): GroupCommit<Job> {
  let queue: Job[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let writing: Promise<void> | null = null;
  let closing: Promise<void> | null = null;
  let closed = false;

  /** Starts writing the queue unless a batch is being written; that batch's end starts the next. */
  function flush(): void {
    scheduled = null;
    if (writing || queue.length === 0) return;
    const jobs = queue;
    queue = [];
    writing = writeBatch(jobs).finally(() => {
      writing = null;
      if (queue.length > 0) flush();
    });
  }

  async function drain(): Promise<void> {
    if (scheduled) clearImmediate(scheduled);
    while (writing || queue.length > 0) {
      if (!writing) flush();
      await writing;
    }
    await afterDrain();
  }

  return {
    enqueue(job) {
      if (closed) return false;
      queue.push(job);
      scheduled ??= setImmediate(flush);
      return true;
    },
    close() {
      closed = true;
      closing ??= drain();
      return closing;
    },
  };
}
