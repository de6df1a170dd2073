/**
 * The scoring worker wrapped for the thread benchmark: runs the task as the engine's worker does
 * and returns, instead of its result, when the task started and ended on this thread (ms since the
 * epoch, comparable across threads) and which thread ran it. Busy time summed over tasks divided by
 * the span of the batch is how many tasks the pool kept in flight at once — a property of the pool,
 * not of how many cores the machine happened to offer.
 */
import { threadId } from 'node:worker_threads';
import runTask, { type ScoreTask } from '../../engine/workers/worker.js';

export interface TaskTiming {
  start: number;
  end: number;
  thread: number;
}

export default function timedTask(task: ScoreTask): TaskTiming {
  const start = performance.timeOrigin + performance.now();
  runTask(task);
  return { start, end: performance.timeOrigin + performance.now(), thread: threadId };
}
