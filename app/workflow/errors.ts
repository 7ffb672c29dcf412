// Typed refusals of the workflow layer. Each names the rule that refused, with
// a Swedish message for the user and an English one for the log.
export class WorkflowRefused extends Error {
  override name = "WorkflowRefused";
  constructor(
    readonly rule: string,
    readonly userMessage: string,
    readonly logMessage: string,
    readonly status: 409 | 422 = 422,
  ) {
    super(`${rule}: ${logMessage}`);
  }
}

/** Someone else changed the case since the user loaded it (optimistic concurrency). */
export class WorkflowConflict extends WorkflowRefused {
  override name = "WorkflowConflict";
  constructor(caseType: string, id: string, expected: number, actual: number) {
    super(
      "versionConflict",
      "Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om sidan och försök igen.",
      `${caseType} ${id}: expected version ${expected}, found ${actual}`,
      409,
    );
  }
}
