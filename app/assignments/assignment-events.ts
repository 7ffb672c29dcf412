// The assignment statechart's events a person sends from the pages, shared by the server module
// and the routes (a route's module-level code runs in the browser too, where *.server modules are empty).

/** The responsible board's events (officers and admins, the statechart's isOfficerOrAdmin). */
export const RESPONSIBLE_BOARD_EVENTS = ["ACTIVATE", "START_REPORTING", "CLOSE"] as const;
/** Every event a person sends to an assignment: the responsible board's, and the coordinator's SUBMIT_REPORT. */
export type AssignmentStateEvent = (typeof RESPONSIBLE_BOARD_EVENTS)[number] | "SUBMIT_REPORT";
