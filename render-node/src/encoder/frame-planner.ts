/**
 * The frame loop's decisions, as pure functions of what it knows at a slot: whether to draw, whether the drawn
 * frame goes to FFmpeg, what counts as dropped, and how many repeats of the fresh frame fill the slots a session
 * missed. No clock, no buffers, no FFmpeg: frame-loop.ts carries the decisions out.
 */

/** While FFmpeg is not taking frames we still draw at least this often, so the scene (and its clocks) stay current. */
export const MIN_DRAW_INTERVAL_MS = 1000;

export interface SlotInput {
  /** An FFmpeg session is running, so frames have somewhere to go. */
  streaming: boolean;
  /** Slots the pacer skipped on its way to this one. */
  missed: number;
  /** A buffer is free and no batch waits behind the one being written. */
  canQueue: boolean;
  /** Time since a frame was last drawn, ms. */
  sinceDrawMs: number;
}

export interface SlotPlan {
  /** Slots to count as dropped now. */
  dropped: number;
  /** Call the scene for this slot. */
  draw: boolean;
  /** Send the drawn frame to FFmpeg. */
  queue: boolean;
}

/**
 * Without a session nothing is dropped: every slot is drawn, so the scene stays current, and nothing is sent.
 * With one, the slots the pacer missed are dropped, and so is a late slot: one that cannot be queued because a batch
 * is in the pipe and another already waits behind it (or both buffers are taken). One waiting batch is the slack
 * that absorbs a slow write or a busy moment of the CPU; past it, the slot is dropped and counted, so nothing
 * queues without bound. A late slot is still drawn once MIN_DRAW_INTERVAL_MS has gone by without a drawing.
 */
export function planSlot(i: SlotInput): SlotPlan {
  if (!i.streaming) return { dropped: 0, draw: true, queue: false };
  if (i.canQueue) return { dropped: i.missed, draw: true, queue: true };
  return { dropped: i.missed + 1, draw: i.sinceDrawMs >= MIN_DRAW_INTERVAL_MS, queue: false };
}

/**
 * One FFmpeg session's media clock. Timestamps are frame counts, so media time is `queued / fps` from the slot of
 * the first frame queued.
 */
export interface MediaTimeline {
  /** The slot the session's first frame was queued for (moved forward when a gap is given up on); null before it. */
  firstSlot: number | null;
  /** Frames queued since firstSlot. */
  queued: number;
}

export const emptyTimeline = (): MediaTimeline => ({ firstSlot: null, queued: 0 });

export interface BatchPlan {
  /** Slots to fill before the fresh frame (frame-loop.ts fills them with copies of the fresh frame). */
  repeats: number;
  /** The timeline once the repeats and the fresh frame are queued. */
  timeline: MediaTimeline;
}

/**
 * The batch for a fresh frame drawn for `slot`. Every slot skipped would put the stream's clock behind the wall
 * clock for good (receivers see speed < 1 and their buffers drain), so the slots missed since the last frame queued
 * are filled with that frame again. More than `fps` slots behind (a second), or with no frame to repeat yet, the
 * gap is accepted rather than chased: the timeline starts over at this slot.
 */
export function planBatch(timeline: MediaTimeline, slot: number, fps: number, hasLastFrame: boolean): BatchPlan {
  let firstSlot = timeline.firstSlot ?? slot;
  let behind = slot - firstSlot - timeline.queued;
  if (behind > fps || !hasLastFrame) {
    firstSlot += behind;
    behind = 0;
  }
  // A slot before the timeline's end (only after the loop restarted its pacer) queues the fresh frame alone.
  const repeats = Math.max(0, behind);
  return { repeats, timeline: { firstSlot, queued: timeline.queued + repeats + 1 } };
}
