// The payment plan form's shape, shared by the page and app/payment-plan/plan.server.ts.

/** Rows the plan form offers (blank rows are ignored). */
export const PLAN_ROWS = 6;
