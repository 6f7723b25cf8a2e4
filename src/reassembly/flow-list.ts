import type { Flow } from './flow.js';

/**
 * Live flows in order of their last packet, oldest first: a doubly linked list
 * through the flows themselves, so touching a flow and finding the idlest one are
 * O(1) (no scan of the table per packet, no allocation).
 */
export class FlowList {
  head: Flow | null = null;
  private tail: Flow | null = null;

  /** Appends a flow not yet in the list. */
  append(flow: Flow): void {
    flow.prev = this.tail;
    flow.next = null;
    if (this.tail) this.tail.next = flow;
    else this.head = flow;
    this.tail = flow;
  }

  /** Moves a flow to the newest end. */
  touch(flow: Flow): void {
    if (this.tail === flow) return;
    this.remove(flow);
    this.append(flow);
  }

  remove(flow: Flow): void {
    if (flow.prev) flow.prev.next = flow.next;
    else if (this.head === flow) this.head = flow.next;
    if (flow.next) flow.next.prev = flow.prev;
    else if (this.tail === flow) this.tail = flow.prev;
    flow.prev = flow.next = null;
  }
}
