// Numbered parameters for hand-written SQL assembled from parts (decision 0008):
// each part asks for a placeholder and the values travel in order.
import type { SqlParam } from "~/sql.server";

export class SqlParams {
  readonly values: SqlParam[] = [];
  /** The placeholder ($n) for this value. */
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
